import type { EmulatedShop } from "./shop-state";
import { flowTriggerDefinitions, type FlowTriggerField } from "./app-config";

/**
 * Shopify Flow's side of flowTriggerReceive: the trigger must be one of the
 * app's flow_trigger extensions, the payload at most 50 KB and exactly the
 * trigger's declared fields with their types (a customer_reference field is
 * the numeric `customer_id`). Accepted triggers are recorded on the shop.
 */

/** Flow's payload limit. */
export const FLOW_PAYLOAD_MAX_BYTES = 50_000;

// Read once, like a deploy: the emulator serves the extensions as they were when it started.
let definitions: Map<string, FlowTriggerField[]> | undefined;

const REFERENCE_SCOPES: Record<string, string> = {
  customer_reference: "read_customers",
  order_reference: "read_orders",
  product_reference: "read_products",
};

function typeError(field: FlowTriggerField, value: unknown): string | null {
  switch (field.type) {
    case "single_line_text_field":
      return typeof value === "string" && !/[\r\n]/.test(value) ? null : "must be a single line of text";
    case "number_decimal":
      return typeof value === "number" && Number.isFinite(value) ? null : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "email":
      return typeof value === "string" && /^[^@\s]+@[^@\s]+$/.test(value) ? null : "must be an email address";
    case "url":
      return typeof value === "string" && /^https?:\/\/\S+$/.test(value) ? null : "must be a URL";
    default:
      throw new Error(`Flow trigger field type ${field.type} is not implemented by the emulator`);
  }
}

type UserError = { field: string[]; message: string };

export function flowTriggerReceive(
  shop: EmulatedShop,
  args: { handle?: string | null; payload?: unknown; body?: string | null },
) {
  if (args.body !== undefined && args.body !== null)
    throw new Error("flowTriggerReceive(body:) is deprecated and not implemented by the emulator");
  const fail = (field: string, message: string) => ({ userErrors: [{ field: [field], message }] as UserError[] });
  definitions ??= flowTriggerDefinitions();
  const fields = args.handle ? definitions.get(args.handle) : undefined;
  if (!args.handle || !fields)
    return fail("handle", `Trigger with handle '${args.handle ?? ""}' does not exist for this app`);
  const payload = args.payload;
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    return fail("payload", "Payload must be a JSON object");
  if (Buffer.byteLength(JSON.stringify(payload), "utf8") > FLOW_PAYLOAD_MAX_BYTES)
    return fail("payload", "Payload is too large: it must be at most 50 KB");
  const given = payload as Record<string, unknown>;
  const errors: string[] = [];
  const declared = new Set<string>();
  for (const field of fields) {
    const scope = REFERENCE_SCOPES[field.type];
    const key = scope ? `${field.type.replace(/_reference$/, "")}_id` : field.key;
    if (!key) continue;
    declared.add(key);
    if (!(key in given)) {
      errors.push(`Missing required field '${key}'`);
      continue;
    }
    const value = given[key];
    if (scope) {
      if (!shop.hasScope(scope)) errors.push(`Field '${key}' requires the \`${scope}\` access scope`);
      else if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
        errors.push(`Field '${key}' must be a numeric id`);
      continue;
    }
    const problem = typeError(field, value);
    if (problem) errors.push(`Field '${key}' ${problem}`);
  }
  for (const key of Object.keys(given)) if (!declared.has(key)) errors.push(`Unknown field '${key}'`);
  if (errors.length > 0) return fail("payload", `Errors validating schema: ${errors.join("; ")}`);
  const refusal = typeof given.customer_id === "number" ? shop.flowRefusals.get(given.customer_id) : undefined;
  if (refusal) return fail("payload", refusal);
  shop.flowTriggers.push({ handle: args.handle, payload: given, receivedAt: new Date() });
  return { userErrors: [] as UserError[] };
}
