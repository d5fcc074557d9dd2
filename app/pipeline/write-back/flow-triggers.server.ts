import { aliasedBatchDriver, type AliasedItemRequest } from "../../shopify/aliased-batch.server";
import { FLOW_TRIGGER_RECEIVE_CALL } from "../../shopify/operations/flow";
import type { WriteBackDeps } from "../../shopify/pacing.server";

/**
 * Sends the "Customer RFM segment changed" Flow trigger
 * (extensions/rfm-segment-changed) for the events scoring recorded in the
 * FlowTriggerEvent outbox: oldest first, several aliased flowTriggerReceive
 * calls per request, paced on the shop's throttle status (Flow triggers
 * share the Admin API's rate limit; each is a 10-point mutation).
 */

/** The extension's handle (shopify.extension.toml). */
export const FLOW_TRIGGER_HANDLE = "rfm-segment-changed";
/** Flow refuses larger payloads. */
export const FLOW_PAYLOAD_MAX_BYTES = 50_000;
/** A refused event is retried on later drains, then given up (and logged). */
export const FLOW_MAX_ATTEMPTS = 5;
const MUTATION_COST = 10;

export interface SegmentChangedEvent {
  customerId: bigint;
  fromSegment: string | null;
  toSegment: string;
  r: number;
  f: number;
  m: number;
  changedOn: Date;
}

/** The customer's prediction bands when the trigger is sent (CustomerScore; null: no prediction). */
export interface PredictionBandsNow {
  pAliveBand: string | null;
  valueTier: string | null;
  ordersBand: string | null;
}

const NO_BANDS: PredictionBandsNow = { pAliveBand: null, valueTier: null, ordersBand: null };

/**
 * The trigger payload: keys are the extension's field keys; the customer
 * reference goes as `customer_id`, the numeric id. Flow's trigger fields are
 * not nullable, so "no previous segment" is the empty string.
 */
export function segmentChangedPayload(
  e: SegmentChangedEvent,
  bands: PredictionBandsNow = NO_BANDS,
): Record<string, string | number> {
  return {
    customer_id: Number(e.customerId),
    "Previous segment": e.fromSegment ?? "",
    "New segment": e.toSegment,
    "R score": e.r,
    "F score": e.f,
    "M score": e.m,
    "Changed on": e.changedOn.toISOString().slice(0, 10),
    // The metafields' bands (rfm.p_alive, rfm.predicted_value_12m, rfm.expected_orders_365); empty without one.
    "Chance still active": bands.pAliveBand ?? "",
    "Predicted yearly value": bands.valueTier ?? "",
    "Expected orders next year": bands.ordersBand ?? "",
  };
}

export interface FlowTriggerOptions {
  /** Triggers per request (aliased mutations). */
  batchSize?: number;
  /** Events read from the outbox at a time. */
  pageSize?: number;
  maxAttempts?: number;
}

export interface FlowTriggerOutcome {
  sent: number;
  refused: number;
  /** Events that reached maxAttempts in this drain and will not be sent. */
  gaveUp: number;
  /** Refused events that a later drain will try again. */
  retryable: number;
  requests: number;
  waitedMs: number;
}

function triggerCall(payload: Record<string, unknown>, i: number): AliasedItemRequest {
  return {
    variables: [[`p${i}`, "JSON!", payload]],
    calls: [{ alias: `t${i}`, field: FLOW_TRIGGER_RECEIVE_CALL("$handle", `$p${i}`) }],
  };
}

/** Drains the shop's unsent events; call again to retry refused ones. */
export async function sendFlowTriggers(
  deps: WriteBackDeps,
  shop: string,
  options: FlowTriggerOptions = {},
): Promise<FlowTriggerOutcome> {
  const batchSize = options.batchSize ?? 10;
  const pageSize = options.pageSize ?? 500;
  const maxAttempts = options.maxAttempts ?? FLOW_MAX_ATTEMPTS;
  const outcome: FlowTriggerOutcome = { sent: 0, refused: 0, gaveUp: 0, retryable: 0, requests: 0, waitedMs: 0 };
  const batches = aliasedBatchDriver(deps, {
    operation: "AppFlowTriggers",
    pointsPerCall: MUTATION_COST,
    shared: [["handle", "String!", FLOW_TRIGGER_HANDLE]],
  });
  // By id, past the last page: an event refused in this drain waits for the next one.
  let after = 0n;
  for (;;) {
    const events = await deps.db.flowTriggerEvent.findMany({
      where: { shop, sentAt: null, attempts: { lt: maxAttempts }, id: { gt: after } },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (events.length === 0) break;
    after = events.at(-1)?.id ?? after;
    const scores = await deps.db.customerScore.findMany({
      where: { shop, customerId: { in: [...new Set(events.map((e) => e.customerId))] } },
      select: { customerId: true, pAliveBand: true, valueTier: true, ordersBand: true },
    });
    const bandsOf = new Map(scores.map((c) => [c.customerId, c]));
    for (let i = 0; i < events.length; i += batchSize) {
      const batch = events
        .slice(i, i + batchSize)
        .map((e) => ({ event: e, payload: segmentChangedPayload(e, bandsOf.get(e.customerId)) }));
      const refusals: { id: bigint; attempts: number; error: string }[] = [];
      const fits = batch.filter(({ event, payload }) => {
        if (Buffer.byteLength(JSON.stringify(payload), "utf8") <= FLOW_PAYLOAD_MAX_BYTES) return true;
        refusals.push({
          id: event.id,
          attempts: maxAttempts,
          error: `payload larger than ${FLOW_PAYLOAD_MAX_BYTES} bytes`,
        });
        return false;
      });
      const sentIds: bigint[] = [];
      if (fits.length > 0) {
        const { results, waitedMs } = await batches.send(
          fits.map((b) => b.payload),
          triggerCall,
        );
        outcome.waitedMs += waitedMs;
        outcome.requests++;
        fits.forEach(({ event }, k) => {
          const errors = results[k]?.[`t${k}`] ?? [{ field: null, message: "no answer" }];
          if (errors.length === 0) sentIds.push(event.id);
          else
            refusals.push({
              id: event.id,
              attempts: event.attempts + 1,
              error: errors.map((e) => e.message).join("; "),
            });
        });
      }
      // Recorded per request: a drain that dies half way never sends an accepted trigger twice.
      await deps.db.$transaction([
        deps.db.flowTriggerEvent.updateMany({
          where: { shop, id: { in: sentIds } },
          data: { sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
        }),
        ...refusals.map((r) =>
          deps.db.flowTriggerEvent.update({
            where: { shop_id: { shop, id: r.id } },
            data: { attempts: r.attempts, lastError: r.error },
          }),
        ),
      ]);
      outcome.sent += sentIds.length;
      outcome.refused += refusals.length;
      for (const r of refusals) {
        if (r.attempts >= maxAttempts) {
          outcome.gaveUp++;
          deps.logger.error(
            { shop, eventId: String(r.id), attempts: r.attempts, error: r.error },
            "Flow trigger given up: Shopify refused it on every attempt",
          );
        } else {
          outcome.retryable++;
          deps.logger.warn(
            { shop, eventId: String(r.id), attempts: r.attempts, error: r.error },
            "Flow trigger refused, will retry",
          );
        }
      }
    }
  }
  return outcome;
}
