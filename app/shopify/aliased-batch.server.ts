import type { UserError } from "./admin-errors.server";
import { paceFor, type WriteBackDeps } from "./pacing.server";

/**
 * The paced batch of aliased mutations shared by the write-backs (tags,
 * metafields, Flow triggers): many calls of one mutation per request, each
 * under its own alias, paced on the shop's bucket so no request is answered
 * THROTTLED, each call's userErrors handed back per item (never swallowed).
 */

export interface AliasedCall {
  /** The alias the call's answer comes back under (unique within the request). */
  alias: string;
  /** The field, its arguments naming the request's variables (`$id0`), and its selection. */
  field: string;
}

export interface AliasedItemRequest {
  /** Variables this item's calls use, in declaration order: name (without $), GraphQL type, value. */
  variables: readonly (readonly [name: string, type: string, value: unknown])[];
  calls: readonly AliasedCall[];
}

export type AliasedUserError = UserError & { elementIndex?: number | null };

/** Per item, per alias of its calls: the userErrors Shopify answered (a call with no answer gets one). */
export type AliasedResults = Record<string, AliasedUserError[]>[];

const NO_ANSWER: AliasedUserError[] = [{ field: null, message: "no answer" }];

/** One request's text and variables (exported for test/graphql, which validates rendered documents). */
export function aliasedDocument(
  operation: string,
  shared: readonly (readonly [name: string, type: string, value: unknown])[],
  requests: readonly AliasedItemRequest[],
): { document: string; variables: Record<string, unknown>; calls: number } {
  const declarations: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const [name, type, value] of [...shared, ...requests.flatMap((r) => r.variables)]) {
    declarations.push(`$${name}: ${type}`);
    variables[name] = value;
  }
  const fields = requests.flatMap((r) => r.calls.map((c) => `${c.alias}: ${c.field}`));
  return {
    document: `mutation ${operation}(${declarations.join(", ")}) {\n  ${fields.join("\n  ")}\n}`,
    variables,
    calls: fields.length,
  };
}

export interface AliasedBatchOptions {
  /** The operation name (what the request logs show). */
  operation: string;
  /** Points one call costs, for pacing. */
  pointsPerCall: number;
  /** Variables every request declares (e.g. the Flow trigger handle). */
  shared?: readonly (readonly [name: string, type: string, value: unknown])[];
}

export interface AliasedBatchDriver {
  /** Sends one request for these items; waits first until the bucket holds its points. */
  send<Item>(
    items: readonly Item[],
    build: (item: Item, index: number) => AliasedItemRequest,
  ): Promise<{ results: AliasedResults; calls: number; waitedMs: number }>;
}

/** A driver for one run: it remembers when the last answer came, which the pacing estimate starts from. */
export function aliasedBatchDriver(
  deps: Pick<WriteBackDeps, "admin" | "sleep" | "now">,
  options: AliasedBatchOptions,
): AliasedBatchDriver {
  const clock = deps.now ?? Date.now;
  let lastResponseAt = clock();
  return {
    async send(items, build) {
      const requests = items.map(build);
      const { document, variables, calls } = aliasedDocument(options.operation, options.shared ?? [], requests);
      const waitedMs = await paceFor(deps, calls * options.pointsPerCall, lastResponseAt);
      const data = await deps.admin.requestRendered<Record<string, { userErrors: AliasedUserError[] } | null>>(
        document,
        variables,
      );
      lastResponseAt = clock();
      const results = requests.map((r) =>
        Object.fromEntries(r.calls.map((c) => [c.alias, data[c.alias]?.userErrors ?? NO_ANSWER])),
      );
      return { results, calls, waitedMs };
    },
  };
}
