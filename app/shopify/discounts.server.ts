import { payloadOf } from "./admin-errors.server";
import type { AdminClient, VariablesOf } from "./admin-client.server";
import { DISCOUNT_CODE_BASIC_CREATE } from "./operations/discounts";

export type DiscountCodeBasicInput = VariablesOf<typeof DISCOUNT_CODE_BASIC_CREATE>["discount"];

export async function discountCodeBasicCreate(admin: AdminClient, discount: DiscountCodeBasicInput) {
  const data = await admin.request(DISCOUNT_CODE_BASIC_CREATE, { discount });
  return payloadOf("discountCodeBasicCreate", data.discountCodeBasicCreate);
}
