import type { EmulatedShop } from "./shop-state";

/**
 * Customer metafields as Shopify keeps them: definitions (namespace, key,
 * type) and values checked against their definition's type; metafieldsSet
 * takes at most 25 metafields per call and is atomic (any error, nothing set).
 */

export const METAFIELDS_SET_LIMIT = 25;
const SUPPORTED_TYPES = new Set(["single_line_text_field", "number_integer", "number_decimal", "boolean", "date"]);

interface DefinitionInput {
  name: string;
  namespace?: string | null;
  key: string;
  type: string;
  ownerType: string;
  description?: string | null;
}

interface SetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
}

const CHARS = /^[a-zA-Z0-9_-]+$/;

export function metafieldDefinitionCreate(shop: EmulatedShop, { definition }: { definition: DefinitionInput }) {
  const err = (field: string, message: string, code: string) => ({
    createdDefinition: null,
    userErrors: [{ field: ["definition", field], message, code, elementIndex: null, elementKey: null }],
  });
  if (definition.ownerType !== "CUSTOMER")
    throw new Error(`metafield definitions for ${definition.ownerType} are not implemented by the emulator`);
  const namespace = definition.namespace ?? "$app";
  const plainNamespace = namespace.replace(/^\$app:?/, "app-");
  if (plainNamespace.length < 3)
    return err("namespace", "Namespace is too short (minimum is 3 characters)", "TOO_SHORT");
  if (plainNamespace.length > 255)
    return err("namespace", "Namespace is too long (maximum is 255 characters)", "TOO_LONG");
  if (!CHARS.test(plainNamespace))
    return err("namespace", "Namespace contains one or more invalid characters.", "INVALID_CHARACTER");
  if (definition.key.length < 2) return err("key", "Key is too short (minimum is 2 characters)", "TOO_SHORT");
  if (definition.key.length > 64) return err("key", "Key is too long (maximum is 64 characters)", "TOO_LONG");
  if (!CHARS.test(definition.key))
    return err("key", "Key contains one or more invalid characters.", "INVALID_CHARACTER");
  if (!SUPPORTED_TYPES.has(definition.type))
    return err("type", `Type ${definition.type} is not supported by the emulator`, "INCLUSION");
  const id = `${namespace}.${definition.key}`;
  if (shop.metafieldDefinitions.has(id))
    return err("key", "Key is in use for Customer metafields on the 'namespace' namespace.", "TAKEN");
  const gid = `gid://shopify/MetafieldDefinition/${90_000 + shop.metafieldDefinitions.size}`;
  shop.metafieldDefinitions.set(id, { id: gid, type: definition.type, name: definition.name });
  return {
    createdDefinition: {
      __typename: "MetafieldDefinition",
      id: gid,
      namespace,
      key: definition.key,
      name: definition.name,
    },
    userErrors: [],
  };
}

function valueError(type: string, value: string): string | null {
  if (type === "number_integer" && !/^-?\d{1,15}$/.test(value)) return "Value must be an integer.";
  if (type === "number_decimal" && !/^-?\d{1,15}(\.\d{1,9})?$/.test(value)) return "Value must be a decimal.";
  if (type === "boolean" && value !== "true" && value !== "false") return "Value must be true or false.";
  if (type === "single_line_text_field" && (value.includes("\n") || value.length > 5000))
    return "Value must be a single line of text.";
  return null;
}

export function metafieldsSet(shop: EmulatedShop, { metafields }: { metafields: SetInput[] }) {
  const errors: { field: string[]; message: string; code: string; elementIndex: number }[] = [];
  if (metafields.length > METAFIELDS_SET_LIMIT) {
    return {
      metafields: null,
      userErrors: [
        {
          field: ["metafields"],
          message: `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`,
          code: "LESS_THAN_OR_EQUAL_TO",
          elementIndex: null,
        },
      ],
    };
  }
  const writes: { customerId: number; id: string; value: string; type: string }[] = [];
  metafields.forEach((m, i) => {
    const owner = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(m.ownerId);
    if (!owner) throw new Error(`metafieldsSet on ${m.ownerId} is not implemented by the emulator`);
    const customer = shop.customer(Number(owner[1]));
    if (!customer)
      return errors.push({
        field: ["metafields", String(i), "ownerId"],
        message: "Owner does not exist.",
        code: "INVALID",
        elementIndex: i,
      });
    const namespace = m.namespace ?? "$app";
    const def = shop.metafieldDefinitions.get(`${namespace}.${m.key}`);
    const type = m.type ?? def?.type;
    if (!type)
      return errors.push({
        field: ["metafields", String(i), "type"],
        message: "Type can't be blank.",
        code: "BLANK",
        elementIndex: i,
      });
    if (def && def.type !== type)
      return errors.push({
        field: ["metafields", String(i), "type"],
        message: `Type must be ${def.type}.`,
        code: "INVALID_TYPE",
        elementIndex: i,
      });
    const bad = valueError(type, m.value);
    if (bad)
      return errors.push({
        field: ["metafields", String(i), "value"],
        message: bad,
        code: "INVALID_VALUE",
        elementIndex: i,
      });
    writes.push({ customerId: customer.id, id: `${namespace}.${m.key}`, value: m.value, type });
  });
  if (errors.length > 0) return { metafields: [], userErrors: errors };
  const out = writes.map((w) => {
    const values = shop.customerMetafields.get(w.customerId) ?? new Map<string, string>();
    values.set(w.id, w.value);
    shop.customerMetafields.set(w.customerId, values);
    const [namespace, key] = [w.id.slice(0, w.id.lastIndexOf(".")), w.id.slice(w.id.lastIndexOf(".") + 1)];
    return {
      __typename: "Metafield",
      id: `gid://shopify/Metafield/${w.customerId}${key.length}`,
      namespace,
      key,
      value: w.value,
      type: w.type,
    };
  });
  return { metafields: out, userErrors: [] };
}

export const METAFIELDS_DELETE_LIMIT = 250;

export function metafieldsDelete(
  shop: EmulatedShop,
  { metafields }: { metafields: { ownerId: string; namespace: string; key: string }[] },
) {
  // 2026-10: "At least one identifier must be specified."
  if (metafields.length === 0)
    return {
      deletedMetafields: null,
      userErrors: [{ field: ["metafields"], message: "At least one metafield identifier must be specified." }],
    };
  if (metafields.length > METAFIELDS_DELETE_LIMIT)
    return {
      deletedMetafields: null,
      userErrors: [
        {
          field: ["metafields"],
          message: `Exceeded the maximum metafields input limit of ${METAFIELDS_DELETE_LIMIT}.`,
        },
      ],
    };
  const deletedMetafields = metafields.map((m) => {
    const owner = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(m.ownerId);
    if (!owner) throw new Error(`metafieldsDelete on ${m.ownerId} is not implemented by the emulator`);
    const values = shop.customerMetafields.get(Number(owner[1]));
    // Like Shopify: a metafield that does not exist comes back as null, not as an error.
    if (!values?.delete(`${m.namespace}.${m.key}`)) return null;
    return { ownerId: m.ownerId, namespace: m.namespace, key: m.key };
  });
  return { deletedMetafields, userErrors: [] };
}
