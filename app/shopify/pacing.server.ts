import type { Db } from "../platform/db.server";
import { recordThrottleWait } from "../platform/ops-counters.server";
import type { Logger } from "../platform/logger.server";
import type { AdminClient } from "./admin-client.server";
import { THROTTLE_PROBE_QUERY } from "./operations/shop";

/** What a write-back to the Admin API needs; the clock and waits are injectable (tests use the bucket's virtual clock). */
export interface WriteBackDeps {
  db: Db;
  admin: AdminClient;
  logger: Logger;
  /** Pacing waits. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Real waits (polling a bulk operation that runs on its own). */
  sleepReal?: (ms: number) => Promise<void>;
}

/**
 * Waits until the bucket holds `cost` points, estimated from the last
 * throttleStatus Shopify reported plus what it restored since, so requests
 * are never answered THROTTLED. Returns the time waited.
 */
export async function paceFor(
  deps: Pick<WriteBackDeps, "admin" | "sleep" | "now">,
  cost: number,
  lastResponseAt: number,
): Promise<number> {
  const status = deps.admin.lastCost?.throttleStatus;
  if (!status) return 0;
  const now = (deps.now ?? Date.now)();
  const available = Math.min(
    status.maximumAvailable,
    status.currentlyAvailable + ((now - lastResponseAt) / 1000) * status.restoreRate,
  );
  if (available >= cost) return 0;
  const waitMs = Math.ceil(((cost - available) / status.restoreRate) * 1000);
  recordThrottleWait(deps.admin.shop, "paced", waitMs);
  await (deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms))))(waitMs);
  return waitMs;
}

/** A Standard plan's bucket: what a shop is assumed to have when even the probe reports nothing. */
const STANDARD_RESTORE_RATE = 100;

/**
 * The shop's restore rate (points per second; Shopify reports it with every answer and it depends on the plan).
 * A fresh client has seen no answer yet, so it asks once with the cheapest query: deciding between paced
 * mutations and a bulk operation on a guessed Standard-plan rate sends a Plus shop's small live change sets
 * through bulk operations, which take seconds to minutes to run.
 */
export async function knownRestoreRate(admin: AdminClient): Promise<number> {
  if (!admin.lastCost) {
    // One probe per client, however many parts ask at once (tags and metafields plan side by side).
    let probe = probes.get(admin);
    if (!probe) {
      probe = admin.request(THROTTLE_PROBE_QUERY).finally(() => probes.delete(admin));
      probes.set(admin, probe);
    }
    await probe;
  }
  return admin.lastCost?.throttleStatus.restoreRate ?? STANDARD_RESTORE_RATE;
}

const probes = new WeakMap<AdminClient, Promise<unknown>>();
