import { z } from "zod";
import { convertToCents, parseMoney, type Money } from "./money";

/**
 * One order as the app stores it, whichever way it arrived (bulk JSONL or a
 * webhook). Amounts are in the shop's currency.
 */
export interface OrderRecord {
  id: bigint;
  customerId: bigint | null;
  name: string | null;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  currency: string;
  totalPrice: Money;
  currentTotalPrice: Money;
  totalRefunded: Money;
  discountCodes: string[];
  refunds: RefundRecord[];
  lines: OrderLineRecord[];
}

export interface RefundRecord {
  id: bigint;
  orderId: bigint;
  createdAt: Date;
  amount: Money;
}

export interface OrderLineRecord {
  id: bigint;
  productId: bigint | null;
  vendor: string | null;
  quantity: number;
  amount: Money;
}

/** "gid://shopify/Order/123" or 123 → 123n */
export function legacyId(value: string | number): bigint {
  if (typeof value === "number") return BigInt(value);
  const m = /(\d+)$/.exec(value);
  if (!m?.[1]) throw new Error(`Not a Shopify id: ${value}`);
  return BigInt(m[1]);
}

// ---- REST payloads (orders/* webhooks) ----

/** A Shopify id: a positive integer that fits PostgreSQL's bigint. */
export const shopifyId = z
  .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d{0,18}$/)])
  .transform((v) => BigInt(v))
  .refine((v) => v <= 9_223_372_036_854_775_807n, "id out of range");
const id = shopifyId;
// Money as Shopify writes it; at most 14 integer digits (numeric(18,4) in the database).
const amount = z
  .union([z.string().regex(/^-?\d{1,14}(\.\d{1,10})?$/), z.number().finite().min(-1e14).max(1e14)])
  .transform((v) => parseMoney(v));
const timestamp = z
  .string()
  .datetime({ offset: true })
  .transform((v) => new Date(v));
const moneySet = z.object({
  shop_money: z.object({ amount, currency_code: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code") }),
  presentment_money: z.object({ amount }).optional(),
});

export const RestRefund = z
  .object({
    id,
    order_id: id,
    created_at: timestamp,
    transactions: z
      .array(z.object({ amount, kind: z.string(), status: z.string().nullable().optional() }).loose())
      .max(1000)
      .default([]),
  })
  .loose();

export const RestOrder = z
  .object({
    id,
    name: z.string().max(255).nullable().optional(),
    created_at: timestamp,
    processed_at: timestamp.nullable().optional(),
    updated_at: timestamp,
    cancelled_at: timestamp.nullable().optional(),
    test: z.boolean().default(false),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code"),
    total_price_set: moneySet,
    current_total_price_set: moneySet,
    discount_codes: z
      .array(z.object({ code: z.string().max(255) }).loose())
      .max(250)
      .default([]),
    customer: z.object({ id }).loose().nullable().optional(),
    line_items: z
      .array(
        z
          .object({
            id,
            product_id: id.nullable().optional(),
            vendor: z.string().max(255).nullable().optional(),
            quantity: z.number().int().min(0).max(1_000_000),
            price: amount,
          })
          .loose(),
      )
      .max(5000)
      .default([]),
    refunds: z.array(RestRefund).max(1000).default([]),
  })
  .loose();

export type RestOrderPayload = z.infer<typeof RestOrder>;
export type RestRefundPayload = z.infer<typeof RestRefund>;

/**
 * A refund's amount in shop money: REST refund transactions are in the
 * presentment currency, converted at the order's own rate (shop total /
 * presentment total), to the cent.
 */
export function refundFromRest(
  refund: z.infer<typeof RestRefund>,
  rate: { shop: Money; presentment: Money } | null,
): RefundRecord {
  const presentment = refund.transactions
    .filter((t) => t.kind === "refund" && (t.status ?? "success") === "success")
    .reduce((sum, t) => sum + t.amount, 0n);
  return {
    id: refund.id,
    orderId: refund.order_id,
    createdAt: refund.created_at,
    amount: rate ? convertToCents(presentment, rate.shop, rate.presentment) : presentment,
  };
}

export function orderFromRest(p: RestOrderPayload): OrderRecord {
  const rate = {
    shop: p.total_price_set.shop_money.amount,
    presentment: p.total_price_set.presentment_money?.amount ?? p.total_price_set.shop_money.amount,
  };
  const refunds = p.refunds.map((r) => refundFromRest(r, rate));
  return {
    id: p.id,
    customerId: p.customer?.id ?? null,
    name: p.name ?? null,
    createdAt: p.created_at,
    processedAt: p.processed_at ?? p.created_at,
    updatedAt: p.updated_at,
    cancelledAt: p.cancelled_at ?? null,
    test: p.test,
    currency: p.total_price_set.shop_money.currency_code,
    totalPrice: p.total_price_set.shop_money.amount,
    currentTotalPrice: p.current_total_price_set.shop_money.amount,
    totalRefunded: refunds.reduce((s, r) => s + r.amount, 0n),
    discountCodes: p.discount_codes.map((d) => d.code),
    refunds,
    lines: p.line_items.map((li) => ({
      id: li.id,
      productId: li.product_id ?? null,
      vendor: li.vendor ?? null,
      quantity: li.quantity,
      amount: li.price * BigInt(li.quantity),
    })),
  };
}

/** The facts that decide whether an order counts; deletedAt is set when Shopify deletes the order. */
export interface CountableOrder {
  customerId: bigint | null;
  test: boolean;
  cancelledAt: Date | null;
  deletedAt: Date | null;
}

/**
 * Which orders count for RFM and the aggregates: a real (not test), live
 * (not cancelled, not deleted) order of a known customer. The SQL's COUNTED
 * fragments say the same; test/rfm/behaviour-rules.test.ts holds them together.
 */
export function countsForRfm(order: CountableOrder): boolean {
  return order.customerId !== null && !order.test && order.cancelledAt === null && order.deletedAt === null;
}
