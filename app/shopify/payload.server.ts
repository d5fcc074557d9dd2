import { AdminApiError } from "./admin-errors.server";

/** A mutation's payload, which the schema types as nullable: absent means Shopify answered nothing usable. */
export function payloadOf<P>(mutation: string, payload: P | null | undefined): P {
  if (!payload) throw new AdminApiError(`${mutation} returned no payload`, []);
  return payload;
}
