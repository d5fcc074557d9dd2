import { randomBytes } from "node:crypto";
import { LeakyBucket, RESTORE_RATE, type ShopPlan } from "./cost";
import { ShopDataset, type DatasetSpec } from "./generator";

export interface ShopSetup {
  /** e.g. "rfm-demo.myshopify.com" */
  domain: string;
  name: string;
  email?: string;
  currencyCode?: string;
  ianaTimezone?: string;
  plan?: ShopPlan;
  dataset?: Partial<DatasetSpec>;
}

const PLAN_NAMES: Record<ShopPlan, string> = {
  standard: "Basic",
  advanced: "Advanced",
  plus: "Shopify Plus",
  enterprise: "Commerce Components",
};

interface IssuedToken {
  expiresAt: number;
  scope: string;
}

/**
 * One emulated shop: its settings, its generated data (the single source of
 * truth for what the app reads), its rate-limit bucket and issued tokens.
 * Later mutations (tags, metafields, segments) are recorded on top of the
 * generated data here.
 */
export class EmulatedShop {
  readonly domain: string;
  readonly handle: string;
  readonly plan: ShopPlan;
  readonly name: string;
  readonly email: string;
  readonly currencyCode: string;
  readonly ianaTimezone: string;
  readonly dataset: ShopDataset;
  bucket: LeakyBucket;
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, { expiresAt: number; scope: string }>();
  private countsCache: { orders: number } | undefined;

  constructor(setup: ShopSetup) {
    if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(setup.domain)) throw new Error(`Not a shop domain: ${setup.domain}`);
    this.domain = setup.domain;
    this.handle = setup.domain.replace(/\.myshopify\.com$/, "");
    this.plan = setup.plan ?? "standard";
    this.name = setup.name;
    this.email = setup.email ?? `owner@${this.handle}.example`;
    this.currencyCode = setup.currencyCode ?? "EUR";
    this.ianaTimezone = setup.ianaTimezone ?? "Europe/Amsterdam";
    this.dataset = new ShopDataset({
      seed: 42,
      customers: 200,
      orders: 600,
      from: "2023-01-01",
      to: new Date().toISOString().slice(0, 10),
      currency: this.currencyCode,
      ...setup.dataset,
    });
    this.bucket = new LeakyBucket(RESTORE_RATE[this.plan]);
  }

  get planDisplayName(): string {
    return PLAN_NAMES[this.plan];
  }

  /** Replaces the bucket, e.g. to test pacing at a given restore rate (optionally on a test clock). */
  setRestoreRate(pointsPerSecond: number, now?: () => number): void {
    this.bucket = new LeakyBucket(pointsPerSecond, now);
  }

  issueToken(scope: string, expiring: boolean): { access_token: string; scope: string; expires_in?: number; refresh_token?: string; refresh_token_expires_in?: number } {
    const access = `shpat_${randomBytes(16).toString("hex")}`;
    const ttl = expiring ? 3600 : 0;
    this.tokens.set(access, { expiresAt: expiring ? Date.now() + ttl * 1000 : Number.POSITIVE_INFINITY, scope });
    if (!expiring) return { access_token: access, scope };
    const refresh = `shprt_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refresh, { expiresAt: Date.now() + 90 * 86_400_000, scope });
    return { access_token: access, scope, expires_in: ttl, refresh_token: refresh, refresh_token_expires_in: 90 * 86_400 };
  }

  /** Trades a refresh token for a new pair; the old refresh token stops working. */
  refresh(refreshToken: string) {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.expiresAt < Date.now()) return null;
    this.refreshTokens.delete(refreshToken);
    return this.issueToken(entry.scope, true);
  }

  tokenIsValid(token: string | undefined): boolean {
    if (!token) return false;
    const entry = this.tokens.get(token);
    return Boolean(entry && entry.expiresAt > Date.now());
  }

  /** Test hook: every issued token stops working (an uninstall, a revoked grant). */
  revokeTokens(): void {
    this.tokens.clear();
    this.refreshTokens.clear();
  }

  ordersCount(): number {
    this.countsCache ??= { orders: this.dataset.countOrders() };
    return this.countsCache.orders;
  }
}
