import { z } from "zod";
import type { Db } from "../../platform/db.server";
import { type AdminClient } from "../../shopify/admin-client.server";
import { AdminUserErrors } from "../../shopify/admin-errors.server";
import {
  createSegmentDiscount,
  SegmentDiscountRequest,
  SegmentNotSyncedError,
} from "../../pipeline/write-back/shopify-segments.server";

/** The discount form as posted (strings), before it becomes a SegmentDiscountRequest. */
export const DiscountForm = z.object({
  intent: z.literal("discount"),
  segmentKey: z.string(),
  title: z.string(),
  code: z.string(),
  kind: z.string(),
  value: z.string().transform((v) => Number(v.replace(",", "."))),
  endsOn: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, "a date"),
});

export type DiscountResult = { created: string | null; errors: string[] };

/** Creates the code, or returns what was wrong — ours or Shopify's own userErrors, never swallowed. */
export async function submitDiscountForm(
  deps: { db: Db; admin: AdminClient },
  shop: string,
  input: z.infer<typeof DiscountForm>,
): Promise<DiscountResult> {
  const discount = SegmentDiscountRequest.safeParse({
    ...input,
    endsAt: input.endsOn ? `${input.endsOn}T23:59:59Z` : null,
  });
  if (!discount.success)
    return { created: null, errors: discount.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  try {
    await createSegmentDiscount(deps, shop, discount.data);
    return { created: discount.data.code, errors: [] };
  } catch (error) {
    if (error instanceof AdminUserErrors) return { created: null, errors: error.userErrors.map((e) => e.message) };
    if (error instanceof SegmentNotSyncedError) return { created: null, errors: [error.message] };
    throw error;
  }
}
