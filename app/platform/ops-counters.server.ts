/**
 * In-process counters that /metrics reports (app/platform/server/metrics.server.ts). Kept on globalThis so the
 * modules Vite reloads in development and the ones the worker imports count into the same numbers.
 */

/** "paced": the app waited before sending, to stay under the bucket; "throttled": Shopify answered THROTTLED. */
export type ThrottleWaitKind = "paced" | "throttled";

export interface ThrottleWaitCount {
  shop: string;
  kind: ThrottleWaitKind;
  waits: number;
  seconds: number;
}

declare global {
  var __rfmThrottleWaits: Map<string, ThrottleWaitCount> | undefined;
}

function throttleWaits(): Map<string, ThrottleWaitCount> {
  globalThis.__rfmThrottleWaits ??= new Map();
  return globalThis.__rfmThrottleWaits;
}

/** One wait for the Admin API's cost bucket (called by app/shopify's pacing and the client's THROTTLED retry). */
export function recordThrottleWait(shop: string, kind: ThrottleWaitKind, waitMs: number): void {
  if (waitMs <= 0) return;
  const key = `${shop}\u0000${kind}`;
  const entry = throttleWaits().get(key) ?? { shop, kind, waits: 0, seconds: 0 };
  entry.waits += 1;
  entry.seconds += waitMs / 1000;
  throttleWaits().set(key, entry);
}

export function throttleWaitCounts(): ThrottleWaitCount[] {
  return [...throttleWaits().values()].map((entry) => ({ ...entry }));
}
