import type { GraphQLError } from "graphql";

/** A GraphQL error as Shopify's Admin API writes it (message, locations, path, extensions.code). */
export interface ShopifyGraphQLError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

// graphql-js and Shopify (graphql-ruby) word the same failures differently;
// map the common rules to the codes and messages Shopify answers with.
const RULES: { match: RegExp; code: string; message: (m: RegExpExecArray) => string }[] = [
  {
    match: /^Cannot query field "(.+?)" on type "(.+?)"/,
    code: "undefinedField",
    message: (m) => `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
  },
  {
    match: /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"/,
    code: "argumentNotAccepted",
    message: (m) => `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
  },
  {
    match: /^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required/,
    code: "missingRequiredArguments",
    message: (m) => `Field '${m[1]}' is missing required arguments: ${m[2]}`,
  },
  {
    match: /^Unknown type "(.+?)"/,
    code: "undefinedType",
    message: (m) => `No such type ${m[1]}, so it can't be a fragment condition`,
  },
  {
    match: /^Variable "\$(.+?)" is never used/,
    code: "variableNotUsed",
    message: (m) => `Variable $${m[1]} is declared by anonymous query but not used`,
  },
  {
    match: /^Variable "\$(.+?)" is not defined/,
    code: "undefinedVariable",
    message: (m) => `Variable $${m[1]} is used by anonymous query but not declared`,
  },
  {
    match: /^Field "(.+?)" of type "(.+?)" must have a selection of subfields/,
    code: "selectionMismatch",
    message: (m) =>
      `Field must have selections (field '${m[1]}' returns ${String(m[2]).replace(/[[\]!]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`,
  },
  {
    match: /^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields/,
    code: "selectionMismatch",
    message: (m) => `Selections can't be made on scalars (field '${m[1]}' returns ${m[2]} but has selections [...])`,
  },
];

export function toShopifyError(error: GraphQLError): ShopifyGraphQLError {
  const locations = error.locations?.map(({ line, column }) => ({ line, column }));
  for (const rule of RULES) {
    const m = rule.match.exec(error.message);
    if (m) return { message: rule.message(m), locations, extensions: { code: rule.code } };
  }
  return {
    message: error.message,
    locations,
    ...(error.path ? { path: [...error.path] } : {}),
    extensions: { code: error.extensions?.code ?? "GRAPHQL_VALIDATION_FAILED" },
  };
}
