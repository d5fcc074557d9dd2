import type { Db } from "../platform/db.server";
import type { AdminClient } from "./admin-client.server";
import {
  AdminApiError,
  isProtectedDataError,
  protectedFieldOf,
  type ProtectedCustomerField,
} from "./admin-errors.server";
import { CUSTOMER_DATA_ACCESS } from "./operations/customers";

/**
 * What Shopify lets this app read of customers (https://shopify.dev/docs/apps/launch/protected-customer-data):
 * "full", "redacted" (level 1 without some level-2 fields: those come back null), "denied" (no level 1: customers and
 * orders are refused outright).
 */
export type CustomerDataAccess = "full" | "redacted" | "denied";

const ALL_FIELDS: ProtectedCustomerField[] = ["name", "email", "phone", "address"];

/**
 * Reads one customer with every protected field and stores the outcome on the shop. A shop without customers says
 * nothing either way (Shopify redacts values, and there is none): the access stays unknown (null).
 */
export async function checkCustomerDataAccess(deps: {
  db: Db;
  admin: AdminClient;
}): Promise<{ access: CustomerDataAccess | null; redacted: ProtectedCustomerField[] }> {
  const { db, admin } = deps;
  let result: { access: CustomerDataAccess | null; redacted: ProtectedCustomerField[] };
  try {
    const data = await admin.request(CUSTOMER_DATA_ACCESS);
    const redacted = ALL_FIELDS.filter((f) => admin.redactedFields.has(f));
    if (redacted.length > 0) result = { access: "redacted", redacted };
    else result = { access: data.customers.nodes.length > 0 ? "full" : null, redacted: [] };
  } catch (error) {
    const refusal =
      error instanceof AdminApiError &&
      error.errors.length > 0 &&
      error.errors.every((e) => isProtectedDataError(e) && protectedFieldOf(e) === null);
    if (!refusal) throw error;
    result = { access: "denied", redacted: ALL_FIELDS };
  }
  await db.shop.updateMany({
    where: { shop: admin.shop },
    data: {
      customerDataAccess: result.access,
      customerDataRedacted: result.redacted,
      customerDataCheckedAt: new Date(),
    },
  });
  return result;
}

/** What every page that shows customers says about withheld data: the shop's last known access, once per page. */
export interface CustomerDataNotice {
  access: string | null;
  redacted: string[];
}

export async function customerDataNotice(db: Db, shop: string): Promise<CustomerDataNotice> {
  const row = await db.shop.findUnique({
    where: { shop },
    select: { customerDataAccess: true, customerDataRedacted: true },
  });
  return { access: row?.customerDataAccess ?? null, redacted: row?.customerDataRedacted ?? [] };
}
