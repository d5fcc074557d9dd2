/** Which shops the app holds anything for, cached: the receiver asks it for every delivery. */
export interface KnownShops {
  isKnown(shop: string): Promise<boolean>;
  /** Forget what is cached for a shop (it was just installed or erased in this process). */
  forget(shop: string): void;
}

export interface KnownShopsOptions {
  lookup: (shop: string) => Promise<boolean>;
  /** A known shop is asked again after this long (another process may have erased it: shop/redact). */
  knownTtlMs?: number;
  /** An unknown shop is asked again after this long (another process may have installed it). */
  unknownTtlMs?: number;
  now?: () => number;
}

/**
 * Lookups for the same shop at the same time share one query. A known shop erased by another process is still
 * "known" here for up to knownTtlMs; the applier drops what arrives for a shop that no longer exists.
 */
export function createKnownShops(options: KnownShopsOptions): KnownShops {
  const knownTtl = options.knownTtlMs ?? 60_000;
  const unknownTtl = options.unknownTtlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { known: boolean; until: number }>();
  const inFlight = new Map<string, Promise<boolean>>();
  return {
    async isKnown(shop) {
      const hit = cache.get(shop);
      if (hit && hit.until > now()) return hit.known;
      const running = inFlight.get(shop);
      if (running) return running;
      const lookup = options
        .lookup(shop)
        .then((known) => {
          cache.set(shop, { known, until: now() + (known ? knownTtl : unknownTtl) });
          return known;
        })
        .finally(() => inFlight.delete(shop));
      inFlight.set(shop, lookup);
      return lookup;
    },
    forget(shop) {
      cache.delete(shop);
    },
  };
}
