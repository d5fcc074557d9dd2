import type { Db } from "../platform/db.server";
import { recordThrottleWait } from "../platform/ops-counters.server";
import type { Logger } from "../platform/logger.server";
import type { AdminClient } from "./admin-client.server";

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
