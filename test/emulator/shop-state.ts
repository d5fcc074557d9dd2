import type { DiscountRecord, SegmentRecord } from "./segments";
import type { WebPixelRecord } from "./pixels";
import { randomBytes } from "node:crypto";
import { LeakyBucket, RESTORE_RATE, type ShopPlan } from "./cost";
import {
  ShopDataset,
  type CustomerEngagementEvents,
  type DatasetSpec,
  type GeneratedCustomer,
  type GeneratedOrder,
} from "./generator";
import type { BulkOperationRecord } from "./bulk";
import { FULL_ACCESS, type ProtectedCustomerData } from "./protected-data";

export interface ShopSetup {
  /** e.g. "rfm-demo.myshopify.com" */
  domain: string;
  name: string;
  email?: string;
  currencyCode?: string;
  ianaTimezone?: string;
  plan?: ShopPlan;
  dataset?: Partial<DatasetSpec>;
  /** What the app is approved for (protected-data.ts); default: everything. */
  protectedCustomerData?: ProtectedCustomerData;
  /**
   * Whether segmentFilters lists the Shopify Email and storefront event filters (shopify_email.*,
   * storefront_event.*) and segment queries may use them; default true.
   */
  engagementFilters?: boolean;
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
  readonly engagementFilters: boolean;
  bucket: LeakyBucket;
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, { expiresAt: number; scope: string }>();
  private countsCache: { orders: number } | undefined;
  private processedAtCache: Float64Array | undefined;
  /** Scopes the merchant granted; drop read_all_orders to get Shopify's 60-day window. */
  grantedScopes: string[] | undefined;
  /** The app's protected customer data approval here (level 1, level-2 fields); tests change it. */
  protectedCustomerData: ProtectedCustomerData;
  // Changes on top of the generated data: edited, created and deleted orders; customer tags.
  private readonly changedOrders = new Map<number, GeneratedOrder>();
  private readonly newOrders = new Map<number, GeneratedOrder>();
  private readonly deletedOrders = new Set<number>();
  private readonly customerTags = new Map<number, string[]>();
  private readonly changedCustomers = new Map<number, GeneratedCustomer>();
  private readonly customerUpdatedAt = new Map<number, Date>();
  readonly bulkOperations = new Map<string, BulkOperationRecord>();
  /** Test hook: while set, started bulk operations stay RUNNING until the promise settles. */
  bulkHold: Promise<void> | undefined;
  /**
   * The export rate model: each bulk query writes at most this many root objects (orders, customers) per second,
   * whatever else runs beside it (Shopify publishes no rate; benchmarks state theirs). Unset: as fast as it can.
   */
  bulkExportRootsPerSecond: number | undefined;
  /** The most bulk queries this shop had in progress at once (what the app asked of it, for tests). */
  bulkQueryPeak = 0;
  /** How long a bulk mutation waits in Shopify's queue before it runs (benchmarks set a realistic figure). */
  bulkMutationLatencyMs = 0;
  /**
   * Every customer tag change, with when the request that asked for it reached Shopify (the bulk mutation's start
   * for bulk lines) and when it was applied: the emulated-Shopify part of "delivery → new tag". The newest 100 000
   * (up to 110 000 between trims).
   */
  readonly tagWrites: { customerId: number; tags: string[]; requestedAt: number; appliedAt: number }[] = [];
  /**
   * Test hook: the next bulk query over `connection` (default orders) fails with this code after writing
   * `afterRoots` root objects.
   */
  bulkFault:
    | {
        errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";
        afterRoots: number;
        connection?: "orders" | "customers";
      }
    | undefined;

  /** Shopify's "now" for journeys turning ready (and the 60-day order window): a test may move it. */
  clock: () => number = () => Date.now();

  constructor(setup: ShopSetup) {
    if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(setup.domain))
      throw new Error(`Not a shop domain: ${setup.domain}`);
    this.domain = setup.domain;
    this.handle = setup.domain.replace(/\.myshopify\.com$/, "");
    this.plan = setup.plan ?? "standard";
    this.name = setup.name;
    this.email = setup.email ?? `owner@${this.handle}.example`;
    this.currencyCode = setup.currencyCode ?? "EUR";
    this.ianaTimezone = setup.ianaTimezone ?? "Europe/Amsterdam";
    this.protectedCustomerData = setup.protectedCustomerData ?? FULL_ACCESS;
    this.engagementFilters = setup.engagementFilters ?? true;
    this.dataset = new ShopDataset({
      seed: 42,
      customers: 200,
      orders: 600,
      from: "2023-01-01",
      // Through yesterday: a generated shop never has orders from the future.
      to: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
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

  issueToken(
    scope: string,
    expiring: boolean,
  ): {
    access_token: string;
    scope: string;
    expires_in?: number;
    refresh_token?: string;
    refresh_token_expires_in?: number;
  } {
    const access = `shpat_${randomBytes(16).toString("hex")}`;
    const ttl = expiring ? 3600 : 0;
    this.tokens.set(access, { expiresAt: expiring ? Date.now() + ttl * 1000 : Number.POSITIVE_INFINITY, scope });
    if (!expiring) return { access_token: access, scope };
    const refresh = `shprt_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refresh, { expiresAt: Date.now() + 90 * 86_400_000, scope });
    return {
      access_token: access,
      scope,
      expires_in: ttl,
      refresh_token: refresh,
      refresh_token_expires_in: 90 * 86_400,
    };
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

  /** Every order's processedAt, sorted (ordersCount over processed_at ranges answers from it). */
  processedAtSorted(): Float64Array {
    if (!this.processedAtCache) {
      const times: number[] = [];
      for (const order of this.orders()) times.push(order.processedAt.getTime());
      this.processedAtCache = Float64Array.from(times).sort();
    }
    return this.processedAtCache;
  }

  ordersCount(): number {
    this.countsCache ??= { orders: this.dataset.countOrders() };
    return this.countsCache.orders + this.newOrders.size - this.deletedOrders.size;
  }

  hasScope(scope: string): boolean {
    return (this.grantedScopes ?? []).includes(scope);
  }

  /** Every order as Shopify holds it now, generated ones first, then ones created since. */
  *orders(): Generator<GeneratedOrder> {
    for (const order of this.dataset.orders()) {
      if (this.deletedOrders.has(order.id)) continue;
      yield this.changedOrders.get(order.id) ?? order;
    }
    for (const order of this.newOrders.values()) if (!this.deletedOrders.has(order.id)) yield order;
  }

  order(id: number): GeneratedOrder | undefined {
    if (this.deletedOrders.has(id)) return undefined;
    return this.newOrders.get(id) ?? this.changedOrders.get(id) ?? this.dataset.orderById(id);
  }

  /** Records an order's new state (created or edited); returns whether it is new. */
  putOrder(order: GeneratedOrder): boolean {
    this.processedAtCache = undefined;
    if (this.newOrders.has(order.id) || !this.dataset.orderById(order.id)) {
      const isNew = !this.newOrders.has(order.id);
      this.newOrders.set(order.id, order);
      return isNew;
    }
    this.changedOrders.set(order.id, order);
    return false;
  }

  deleteOrder(id: number): void {
    this.processedAtCache = undefined;
    this.deletedOrders.add(id);
  }

  customer(id: number): GeneratedCustomer | undefined {
    const changed = this.changedCustomers.get(id);
    if (changed) return changed;
    const index = this.dataset.customerIndex(id);
    return index === undefined ? undefined : this.dataset.customer(index);
  }

  /** Every customer as Shopify holds it now (what a bulk query over `customers` reads). */
  *customers(): Generator<GeneratedCustomer> {
    for (const customer of this.dataset.customers()) yield this.changedCustomers.get(customer.id) ?? customer;
  }

  /** Test hook: a customer's profile changed in Shopify (no webhook is sent from here). */
  putCustomer(customer: GeneratedCustomer, at = new Date()): void {
    this.changedCustomers.set(customer.id, customer);
    this.customerUpdatedAt.set(customer.id, at);
  }

  customerTagList(customer: GeneratedCustomer): string[] {
    return this.customerTags.get(customer.id) ?? customer.tags;
  }

  customerUpdated(customer: GeneratedCustomer): Date {
    return this.customerUpdatedAt.get(customer.id) ?? customer.createdAt;
  }

  readonly segments = new Map<string, SegmentRecord>();
  /** Shopify's CustomerStatistics per customer id (its predictions), when a test sets them. */
  readonly customerStatistics = new Map<number, { predictedSpendTier: string | null; rfmGroup: string | null }>();
  readonly discounts = new Map<string, DiscountRecord>();

  /** Customer metafield definitions by "namespace.key", and values per customer. */
  readonly metafieldDefinitions = new Map<string, { id: string; type: string; name: string }>();
  readonly customerMetafields = new Map<number, Map<string, string>>();

  /** Flow triggers accepted by flowTriggerReceive (test/emulator/flow.ts), in order. */
  readonly flowTriggers: { handle: string; payload: Record<string, unknown>; receivedAt: Date }[] = [];
  /** Test hook: Flow refuses triggers for these customer ids with this message (e.g. a workflow error). */
  readonly flowRefusals = new Map<number, string>();

  /** The app's web pixel (test/emulator/pixels.ts): one per app and shop. */
  webPixel: WebPixelRecord | undefined;

  /** Send customers/update after tag mutations, as Shopify does (off for bulk benchmarks). */
  echoTagWebhooks = true;

  /** Email and storefront events a test adds on top of the generated ones, per customer id. */
  readonly addedEngagement = new Map<number, CustomerEngagementEvents>();

  /** A customer's Shopify Email and storefront events: generated ones plus those a test added. */
  engagementOf(customer: GeneratedCustomer): CustomerEngagementEvents {
    const generated =
      this.dataset.customerIndex(customer.id) === undefined
        ? { delivered: [], opened: [], clicked: [], viewed: [] }
        : this.dataset.engagement(customer.index);
    const added = this.addedEngagement.get(customer.id);
    if (!added) return generated;
    return {
      delivered: [...generated.delivered, ...added.delivered],
      opened: [...generated.opened, ...added.opened],
      clicked: [...generated.clicked, ...added.clicked],
      viewed: [...generated.viewed, ...added.viewed],
    };
  }

  /** Test hook: one more event for a customer. */
  addEngagement(customerId: number, kind: keyof CustomerEngagementEvents, at: Date, subjectId: number): void {
    const events = this.addedEngagement.get(customerId) ?? { delivered: [], opened: [], clicked: [], viewed: [] };
    events[kind].push({ at, subjectId });
    this.addedEngagement.set(customerId, events);
  }

  /** A customer's orders as Shopify holds them now (for number_of_orders / amount_spent). */
  ordersOf(customer: GeneratedCustomer): GeneratedOrder[] {
    const out: GeneratedOrder[] = [];
    const index = this.dataset.customerIndex(customer.id);
    if (index !== undefined)
      for (const o of this.dataset.ordersOfCustomer(index))
        if (!this.deletedOrders.has(o.id)) out.push(this.changedOrders.get(o.id) ?? o);
    for (const o of this.newOrders.values())
      if (o.customerId === customer.id && !this.deletedOrders.has(o.id)) out.push(o);
    return out;
  }

  setCustomerTags(id: number, tags: string[]): void {
    this.customerTags.set(id, tags);
    this.customerUpdatedAt.set(id, new Date());
  }
}
