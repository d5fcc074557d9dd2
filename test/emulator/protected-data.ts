import { GraphQLError } from "graphql";

/**
 * Shopify's protected customer data, in one place
 * (https://shopify.dev/docs/apps/launch/protected-customer-data):
 * - level 1: any customer data at all (customers, orders, their webhooks). A public app without it gets an error for
 *   the protected type ("GraphQL requests to unapproved types will return an HTTP 200 Ok response with an error message
 *   in the errors hash"), and is not sent the webhooks about single customers or orders.
 * - level 2: the protected fields name, email, phone and address, each approved on its own. An unapproved field is
 *   redacted: null, with an error naming its path in GraphQL, null in webhook payloads and bulk files.
 * Development stores get what the Partner Dashboard selects; the emulator models the outcome per shop.
 */
export type ProtectedField = "name" | "email" | "phone" | "address";

export interface ProtectedCustomerData {
  level1: boolean;
  fields: ProtectedField[];
}

/** Default: an approved app (level 1 and every level-2 field), so tests that are not about this see everything. */
export const FULL_ACCESS: ProtectedCustomerData = { level1: true, fields: ["name", "email", "phone", "address"] };

/** The message Shopify's documentation shows for a refused type or field (Admin API example). */
export const NOT_APPROVED = (object: string) =>
  `This app is not approved to access the ${object} object. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.`;

function denied(object: string): GraphQLError {
  return new GraphQLError(NOT_APPROVED(object), { extensions: { code: "ACCESS_DENIED" } });
}

/** Throws Shopify's refusal when the app has no level-1 access (Customer, Order and the like). */
export function requireLevel1(access: ProtectedCustomerData, object: "Customer" | "Order"): void {
  if (!access.level1) throw denied(object);
}

/** GraphQL Customer fields per protected field; nested objects name the leaf the error points at. */
const CUSTOMER_FIELDS: Record<ProtectedField, { top: string[]; nested: Record<string, string[]> }> = {
  name: { top: ["firstName", "lastName", "displayName"], nested: {} },
  email: { top: ["email"], nested: { defaultEmailAddress: ["emailAddress"] } },
  phone: { top: ["phone"], nested: { defaultPhoneNumber: ["phoneNumber"] } },
  address: { top: ["defaultAddress", "addresses", "addressesV2"], nested: {} },
};

/**
 * A Customer node as an app with `access` sees it through GraphQL: unapproved fields resolve to an error (graphql-js
 * then answers null there and lists the error with its path, as Shopify does).
 */
export function protectCustomerNode<T extends Record<string, unknown>>(node: T, access: ProtectedCustomerData): T {
  requireLevel1(access, "Customer");
  const out: Record<string, unknown> = { ...node };
  for (const [field, spec] of Object.entries(CUSTOMER_FIELDS) as [ProtectedField, (typeof CUSTOMER_FIELDS)["name"]][]) {
    if (access.fields.includes(field)) continue;
    for (const key of spec.top)
      out[key] = () => {
        throw denied("Customer");
      };
    for (const [parent, leaves] of Object.entries(spec.nested)) {
      const value = out[parent];
      const base = value && typeof value === "object" ? value : {};
      const nested: Record<string, unknown> = { ...base };
      for (const leaf of leaves)
        nested[leaf] = () => {
          throw denied("Customer");
        };
      out[parent] = nested;
    }
  }
  return out as T;
}

/** The same redaction for data without an errors list (bulk operation JSONL): unapproved fields are null. */
export function redactCustomerRecord<T extends Record<string, unknown>>(node: T, access: ProtectedCustomerData): T {
  const out: Record<string, unknown> = { ...node };
  for (const [field, spec] of Object.entries(CUSTOMER_FIELDS) as [ProtectedField, (typeof CUSTOMER_FIELDS)["name"]][]) {
    if (access.fields.includes(field)) continue;
    for (const key of spec.top) if (key in out) out[key] = null;
    for (const [parent, leaves] of Object.entries(spec.nested)) {
      const value = out[parent];
      if (value && typeof value === "object")
        out[parent] = { ...value, ...Object.fromEntries(leaves.map((l) => [l, null])) };
    }
  }
  return out as T;
}

/** REST (webhook) customer keys per protected field. */
const REST_FIELDS: Record<ProtectedField, string[]> = {
  name: ["first_name", "last_name", "name"],
  email: ["email", "contact_email"],
  phone: ["phone"],
  address: ["default_address", "addresses", "billing_address", "shipping_address"],
};

function redactRest(value: Record<string, unknown>, access: ProtectedCustomerData): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const [field, keys] of Object.entries(REST_FIELDS) as [ProtectedField, string[]][]) {
    if (access.fields.includes(field)) continue;
    for (const key of keys) if (key in out) out[key] = Array.isArray(out[key]) ? [] : null;
  }
  return out;
}

/** Webhook topics about a single customer or order: protected customer data (level 1). */
export function isProtectedTopic(topic: string): boolean {
  if (/^customers\/(data_request|redact)$/.test(topic)) return false;
  return /^(customers|customer|orders|refunds|checkouts|draft_orders|fulfillments|fulfillment_orders)[/.]/.test(topic);
}

/**
 * A webhook payload as an app with `access` receives it: null when Shopify would not send the topic at all (no level 1),
 * else with unapproved fields redacted on the customer and the order (and the order's customer).
 */
export function protectWebhookPayload(topic: string, payload: unknown, access: ProtectedCustomerData): unknown {
  if (!isProtectedTopic(topic)) return payload;
  if (!access.level1) return null;
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return payload;
  const out = redactRest(payload as Record<string, unknown>, access);
  const customer = out.customer;
  if (customer && typeof customer === "object" && !Array.isArray(customer))
    out.customer = redactRest(customer as Record<string, unknown>, access);
  return out;
}
