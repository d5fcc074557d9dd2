import type { z } from "zod";
import type { DbTx } from "../../../platform/db.server";
import type { OrderRecord, RestRefundPayload } from "../../../domain/orders";
import type { CustomerProfile } from "../customers.server";

/**
 * What one inbox event asks of the applier, once its payload is parsed. Data changes are applied set-based, a batch
 * at a time; a control event (compliance, app lifecycle, bulk operation finished) is applied alone, in arrival order.
 */
export type InboxChange =
  | { kind: "order"; order: OrderRecord; presentmentTotal: bigint | null }
  | { kind: "orderDelete"; orderId: bigint }
  | { kind: "refund"; refund: RestRefundPayload }
  | { kind: "customer"; customer: CustomerPatch }
  | { kind: "customerDelete"; customerId: bigint }
  | { kind: "merge"; fromId: bigint; intoId: bigint }
  /** Nothing to apply (a merge that did not complete). */
  | { kind: "none" }
  /** afterCommit: work on other connections (a job to send), run once the event's transaction committed. */
  | { kind: "control"; apply: (tx: DbTx) => Promise<void>; afterCommit?: () => Promise<void> };

/**
 * customers/create|update as far as the payload carries it: a field the payload leaves out (an include_fields-trimmed
 * delivery) keeps its stored value; a field present as null clears it.
 */
export interface CustomerPatch {
  id: bigint;
  updatedAt: Date;
  fields: Partial<CustomerProfile>;
}

export interface DeliveryContext {
  shop: string;
  topic: string;
  webhookId: string;
}

export interface WebhookTopic<S extends z.ZodType = z.ZodType> {
  schema: S;
  /**
   * "ignore": a shop we hold nothing for is answered 200 with no write (GDPR and uninstall topics, which Shopify may
   * send after we erased the shop). "reject": answered 404 and nothing is written.
   */
  unknownShop: "ignore" | "reject";
  /** The shop a payload names itself, when it does; it must equal the signed shop header. */
  payloadShop?: (payload: z.infer<S>) => string | undefined;
  /** The customer and order the payload concerns, stored beside it so customers/redact finds and purges it. */
  subject?: (payload: z.infer<S>) => { customerId?: bigint | null; orderId?: bigint | null };
  change: (payload: z.infer<S>, ctx: DeliveryContext) => InboxChange;
}

/** Declares a topic with its payload type inferred from the schema. */
export function defineTopic<S extends z.ZodType>(topic: WebhookTopic<S>): WebhookTopic<S> {
  return topic;
}
