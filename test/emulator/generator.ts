import { Random } from "./random";

/**
 * A deterministic, seeded generator of a realistic Shopify shop: customers
 * with long-tailed spend, repeat purchases, seasonal peaks, discount codes,
 * refunds, cancellations, test and guest orders, foreign presentment
 * currencies and existing merchant tags. Everything is streamed and every
 * customer can be regenerated on its own from (seed, index), so a shop of
 * millions of orders is never held in memory.
 */

export interface DatasetSpec {
  seed: number;
  /** Customers with an account (some never order). */
  customers: number;
  /** Target number of orders of every kind; the stream lands within a few percent. */
  orders: number;
  /** First and last day orders can fall on (UTC dates, YYYY-MM-DD). */
  from: string;
  to: string;
  currency: string;
  /** First customer id: Shopify's ids are unique across shops, so a second shop in a test can take its own range. */
  customerIdBase?: number;
}

export const DEFAULT_DATASET: DatasetSpec = {
  seed: 42,
  customers: 2_000,
  orders: 6_000,
  from: "2023-01-01",
  to: "2026-11-20",
  currency: "EUR",
};

export interface Money {
  /** Amount in minor units (cents) to keep sums exact. */
  cents: number;
  currency: string;
}

export interface GeneratedLineItem {
  id: number;
  productId: number;
  title: string;
  vendor: string;
  /** Product.productType ("" when the merchant set none, as Shopify returns it). */
  productType: string;
  quantity: number;
  /** Line total in shop currency, after discounts. */
  amountCents: number;
}

export interface GeneratedRefund {
  id: number;
  createdAt: Date;
  amountCents: number;
}

export interface GeneratedOrder {
  id: number;
  name: string;
  customerId: number | null;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  shopCurrency: string;
  presentmentCurrency: string;
  /** Presentment amount per shop-currency unit. */
  presentmentRate: number;
  /** Gross total in shop currency (totalPriceSet.shopMoney). */
  totalCents: number;
  totalRefundedCents: number;
  /** After refunds (currentTotalPriceSet.shopMoney). */
  currentTotalCents: number;
  discountCodes: string[];
  refunds: GeneratedRefund[];
  lineItems: GeneratedLineItem[];
  /** Shopify's customerJourneySummary; null where Shopify has none (older orders, orders not from the online store). */
  journey: GeneratedJourney | null;
}

/** Shopify's MarketingTactic values the generated visits use (null: no tactic known, e.g. direct or a plain referral). */
export type GeneratedTactic = "SEO" | "AD" | "NEWSLETTER";

export interface GeneratedVisit {
  occurredAt: Date;
  /** CustomerVisit.source: a platform, "email", "direct" or the referring site's domain. */
  source: string;
  sourceType: GeneratedTactic | null;
  referrerUrl: string | null;
  landingPage: string;
  utm: { campaign: string; medium: string; source: string } | null;
}

export interface GeneratedJourney {
  /** Until then Shopify answers ready: false (attribution runs after the order). */
  readyAt: Date;
  /** Position among the customer's orders (test orders not counted). */
  customerOrderIndex: number;
  /** Null without a first visit. */
  daysToConversion: number | null;
  /** Null: no session recorded (the buyer declined tracking). */
  firstVisit: GeneratedVisit | null;
}

export interface GeneratedCustomer {
  index: number;
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  locale: string;
  tags: string[];
  createdAt: Date;
  /** Default phone number (E.164), or none. */
  phone: string | null;
  /** Default address's country (ISO 3166-1 alpha-2). */
  countryCode: string;
  /** CustomerEmailAddress: marketingState, marketingOptInLevel, marketingUpdatedAt (null when never changed). */
  emailMarketing: EmailMarketingState;
  emailOptInLevel: OptInLevel;
  emailConsentUpdatedAt: Date | null;
  /** CustomerPhoneNumber.smsMarketingConsent (null without a phone number). */
  sms: { state: SmsMarketingState; optInLevel: OptInLevel; updatedAt: Date | null } | null;
}

export type EmailMarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING" | "INVALID";
export type SmsMarketingState = "SUBSCRIBED" | "NEVER_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";
export type OptInLevel = "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";

const DAY = 86_400_000;
const CUSTOMER_ID_BASE = 7_000_000_000_000;
// Order ids grow with time like Shopify's: seconds since 2020 × 2^21 + buyer
// slot. Line item and refund ids are order id × 10 + n, and all stay below
// 2^53 (exact in JSON) for orders up to 2033.
const ORDER_SLOT_BITS = 2_097_152;
const ID_EPOCH_SECONDS = 1_577_836_800;
const GUEST_SHARE = 0.08;
const PROSPECT_SHARE = 0.1;
const MAX_SEASON = 4;

const FIRST = [
  "Emma",
  "Daan",
  "Sophie",
  "Lucas",
  "Julia",
  "Sem",
  "Tess",
  "Levi",
  "Anna",
  "Finn",
  "Olivia",
  "Noah",
  "Mila",
  "Liam",
  "Sara",
  "James",
  "Eva",
  "Bram",
  "Lotte",
  "Thomas",
];
const LAST = [
  "de Jong",
  "Jansen",
  "de Vries",
  "van den Berg",
  "Bakker",
  "Visser",
  "Smit",
  "Meijer",
  "Mulder",
  "de Boer",
  "Smith",
  "Brown",
  "Peters",
  "Hendriks",
  "Dekker",
  "Bos",
  "Vos",
  "Kok",
];
const LOCALES = ["nl", "nl", "nl", "en", "de", "fr"];
const COUNTRIES = ["NL", "NL", "NL", "BE", "DE", "GB", "FR"];
const OPT_IN_LEVELS: OptInLevel[] = ["SINGLE_OPT_IN", "SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN"];

/** A spread over every state, SUBSCRIBED most common: u in [0, 1). */
function emailStateFor(u: number): EmailMarketingState {
  return u < 0.5
    ? "SUBSCRIBED"
    : u < 0.75
      ? "NOT_SUBSCRIBED"
      : u < 0.87
        ? "UNSUBSCRIBED"
        : u < 0.97
          ? "PENDING"
          : "INVALID";
}

function smsStateFor(u: number): SmsMarketingState {
  return u < 0.35 ? "SUBSCRIBED" : u < 0.7 ? "NEVER_SUBSCRIBED" : u < 0.85 ? "UNSUBSCRIBED" : "PENDING";
}
const MERCHANT_TAGS = ["newsletter", "wholesale", "VIP", "retail", "Klaviyo-engaged", "loyalty-member", "influencer"];
const VENDORS = ["Studio Noord", "Hollands Glorie", "Atelier Zuid", "Craft & Co", "Delfts Blauw"];
const PRODUCT_TYPES = ["Mugs", "Vases", "Textiles", "Prints", "Candles", "Planters"];
const PRODUCTS = Array.from({ length: 60 }, (_, i) => ({
  id: 8_000_000_000_000 + i,
  title: `Product ${i + 1}`,
  vendor: VENDORS[i % VENDORS.length] as string,
  // Every eleventh product without a type, as merchants leave some blank.
  productType: i % 11 === 10 ? "" : (PRODUCT_TYPES[i % PRODUCT_TYPES.length] as string),
}));

/** Acquisition channels of a first visit, with their weights for one-time buyers and for customers who come back. */
type Channel = "direct" | "search" | "paid_social" | "email" | "referral";
const CHANNEL_WEIGHTS: Record<Channel, [oneTime: number, repeat: number]> = {
  direct: [26, 30],
  search: [24, 24],
  paid_social: [26, 12],
  email: [10, 22],
  referral: [14, 12],
};
const PAID_CAMPAIGNS = ["spring_sale", "summer_collection", "gift_guide"];
const EMAIL_CAMPAIGNS = ["welcome_series", "monthly_newsletter", "win_back"];
const REFERRERS = ["wonenblog.nl", "designmagazine.com", "cadeautips.be"];
/** Orders in the first part of the shop's history predate Shopify's journey data. */
const JOURNEY_HISTORY_SHARE = 0.15;
const RATES: Record<string, number> = { USD: 1.08, GBP: 0.86, SEK: 11.4 };

function isoDay(date: string): number {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`Not a date: ${date}`);
  return t;
}

function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1));
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  return Date.UTC(year, month, 1 + offset + (n - 1) * 7);
}

/** How busy a day is relative to an ordinary one: Black Friday, Christmas, Mother's Day. */
export function seasonFactor(t: number): number {
  const d = new Date(t);
  const year = d.getUTCFullYear();
  const blackFriday = nthWeekday(year, 10, 4, 4) + DAY;
  if (t >= blackFriday && t < blackFriday + 4 * DAY) return MAX_SEASON;
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  if (month === 11 && day >= 1 && day <= 20) return 1.8;
  const mothersDay = nthWeekday(year, 4, 0, 2);
  if (t >= mothersDay - 7 * DAY && t <= mothersDay) return 2.2;
  if (month === 6 || month === 7) return 0.85;
  return 1;
}

export function peakNameFor(t: number): "black_friday" | "christmas" | "mothers_day" | null {
  const f = seasonFactor(t);
  if (f === MAX_SEASON) return "black_friday";
  if (f === 1.8) return "christmas";
  if (f === 2.2) return "mothers_day";
  return null;
}

interface Timeline {
  firstAt: number;
  /** Repeat orders per year while active. */
  rate: number;
  lifetimeEnd: number;
  aovCents: number;
}

/** One Shopify Email or storefront event: the marketing activity (email) or product (view) it was about. */
export interface EngagementEventAt {
  at: Date;
  subjectId: number;
}

export interface CustomerEngagementEvents {
  delivered: EngagementEventAt[];
  opened: EngagementEventAt[];
  clicked: EngagementEventAt[];
  viewed: EngagementEventAt[];
}

/** Shopify Email campaigns: one every two weeks, marketing activity ids from here. */
const CAMPAIGN_EVERY_DAYS = 14;
const CAMPAIGN_ID_BASE = 5_240_000_000;

export class ShopDataset {
  readonly fromMs: number;
  readonly toMs: number;
  readonly prospects: number;
  readonly buyers: number;
  readonly guestOrders: number;
  private readonly rateScale: number;

  constructor(readonly spec: DatasetSpec) {
    this.fromMs = isoDay(spec.from);
    this.toMs = isoDay(spec.to) + DAY - 1;
    if (this.toMs <= this.fromMs) throw new Error("dataset 'to' must be after 'from'");
    if (spec.customers + Math.ceil(spec.orders * GUEST_SHARE) >= ORDER_SLOT_BITS) {
      throw new Error(`at most ${ORDER_SLOT_BITS} buyers per dataset`);
    }
    this.prospects = Math.floor(spec.customers * PROSPECT_SHARE);
    this.buyers = spec.customers - this.prospects;
    this.guestOrders = Math.round(spec.orders * GUEST_SHARE);
    this.rateScale = this.calibrate();
  }

  /** Scales repeat rates so the customers' orders add up to the target. */
  private calibrate(): number {
    const target = this.spec.orders - this.guestOrders;
    if (this.buyers === 0) return 0;
    const sample = Math.min(this.buyers, 4000);
    let repeatsAtUnitRate = 0;
    for (let i = 0; i < sample; i++) {
      const tl = this.timeline(i, 1);
      repeatsAtUnitRate += this.orderTimes(i, tl).length - 1;
    }
    const perBuyer = repeatsAtUnitRate / sample;
    const wantedRepeats = Math.max(0, target / this.buyers - 1);
    return perBuyer > 0 ? wantedRepeats / perBuyer : 0;
  }

  private timeline(index: number, scale = this.rateScale): Timeline {
    const rng = Random.for(this.spec.seed, index * 4 + 1);
    const span = this.toMs - this.fromMs;
    let firstAt: number;
    // More new customers as the shop grows, more on peak days.
    for (;;) {
      const u = rng.next();
      const t = this.fromMs + Math.sqrt(u) * span * 0.7 + u * span * 0.3;
      if (rng.next() * MAX_SEASON < seasonFactor(t)) {
        firstAt = Math.min(t, this.toMs);
        break;
      }
    }
    const propensity = rng.gamma(1.2);
    const rate = propensity * scale;
    const lifetimeEnd = firstAt + rng.exponential(700) * DAY;
    const aovCents = Math.round(rng.logNormal(Math.log(4800), 0.45) * (1 + 0.25 * Math.log1p(propensity)));
    return { firstAt, rate, lifetimeEnd, aovCents };
  }

  private orderTimes(index: number, tl: Timeline): number[] {
    const rng = Random.for(this.spec.seed, index * 4 + 2);
    const times = [tl.firstAt];
    if (tl.rate <= 0) return times;
    const end = Math.min(tl.lifetimeEnd, this.toMs);
    let t = tl.firstAt;
    const meanGapDays = 365 / tl.rate;
    for (;;) {
      t += Math.max(1, rng.exponential(meanGapDays)) * DAY;
      if (t > end) break;
      if (rng.next() * MAX_SEASON < seasonFactor(t) * 1.6) times.push(t);
    }
    return times;
  }

  customerId(index: number): number {
    return (this.spec.customerIdBase ?? CUSTOMER_ID_BASE) + index;
  }

  customer(index: number): GeneratedCustomer {
    const rng = Random.for(this.spec.seed, index * 4 + 3);
    const firstName = rng.pick(FIRST);
    const lastName = rng.pick(LAST);
    const tags: string[] = [];
    if (rng.chance(0.35)) {
      const n = rng.int(1, 2);
      for (let k = 0; k < n; k++) {
        const tag = rng.pick(MERCHANT_TAGS);
        if (!tags.includes(tag)) tags.push(tag);
      }
    }
    // Merchant tags that look like ours must survive our write-back.
    if (rng.chance(0.02)) tags.push("rfm-manual");
    const isProspect = index >= this.buyers;
    const createdAt = isProspect
      ? new Date(this.fromMs + rng.next() * (this.toMs - this.fromMs))
      : new Date(this.timeline(index).firstAt - rng.next() * 20 * DAY);
    const locale = rng.pick(LOCALES);
    const created = new Date(Math.max(this.fromMs - 30 * DAY, createdAt.getTime()));
    // Consent changed some time after the account was made (whole seconds, like Shopify's timestamps).
    const consentAt = () => new Date(Math.floor((created.getTime() + rng.next() * 200 * DAY) / 1000) * 1000);
    const emailMarketing = emailStateFor(rng.next());
    const emailOptInLevel = rng.pick(OPT_IN_LEVELS);
    const emailConsentUpdatedAt = emailMarketing === "NOT_SUBSCRIBED" ? null : consentAt();
    const phone = rng.chance(0.85) ? `+316${String(10_000_000 + ((index * 7_919) % 90_000_000)).slice(0, 8)}` : null;
    const smsState = smsStateFor(rng.next());
    const smsOptInLevel = rng.pick(OPT_IN_LEVELS);
    const smsAt = smsState === "NEVER_SUBSCRIBED" ? null : consentAt();
    return {
      index,
      id: this.customerId(index),
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${index}@example.com`.toLowerCase().replace(/\s+/g, ""),
      locale,
      tags,
      createdAt: created,
      phone,
      countryCode: rng.pick(COUNTRIES),
      emailMarketing,
      emailOptInLevel,
      emailConsentUpdatedAt,
      sms: phone ? { state: smsState, optInLevel: smsOptInLevel, updatedAt: smsAt } : null,
    };
  }

  /**
   * A customer's Shopify Email and storefront events, consistent with their orders: product views in the days
   * before each order (of the products bought), campaign emails every two weeks to subscribed customers, opened and
   * clicked far more often while the customer is buying, a click usually followed by a product view, and a share of
   * never-buying accounts that browse often in the shop's last three months.
   */
  engagement(index: number): CustomerEngagementEvents {
    const rng = Random.for(this.spec.seed ^ 0x5eed, index);
    const customer = this.customer(index);
    const orders = this.ordersOfCustomer(index);
    const delivered: EngagementEventAt[] = [];
    const opened: EngagementEventAt[] = [];
    const clicked: EngagementEventAt[] = [];
    const viewed: EngagementEventAt[] = [];
    const productAt = () => rng.pick(PRODUCTS).id;
    const view = (at: number, productId = productAt()) => {
      if (at >= this.fromMs && at <= this.toMs)
        viewed.push({ at: new Date(Math.floor(at / 1000) * 1000), subjectId: productId });
    };
    for (const o of orders)
      for (const line of o.lineItems.slice(0, rng.int(1, 2)))
        view(o.createdAt.getTime() - rng.next() * 5 * DAY, line.productId);
    const isProspect = index >= this.buyers;
    const tl = isProspect ? null : this.timeline(index);
    const activeFrom = tl ? tl.firstAt - 30 * DAY : customer.createdAt.getTime();
    const activeTo = tl ? Math.max(tl.lifetimeEnd, orders.at(-1)?.createdAt.getTime() ?? 0) + 120 * DAY : activeFrom;
    if (customer.emailMarketing === "SUBSCRIBED") {
      const openWhileActive = 0.2 + rng.next() * 0.4;
      for (let k = 0, t = this.fromMs + 3 * DAY; t <= this.toMs; k++, t += CAMPAIGN_EVERY_DAYS * DAY) {
        if (t < customer.createdAt.getTime()) continue;
        const activityId = CAMPAIGN_ID_BASE + k;
        const sentAt = t + 9 * 3_600_000;
        delivered.push({ at: new Date(sentAt), subjectId: activityId });
        const active = t >= activeFrom && t <= activeTo;
        if (!rng.chance(active ? openWhileActive : isProspect ? 0.08 : 0.04)) continue;
        const openAt = sentAt + rng.next() * 2 * DAY;
        if (openAt > this.toMs) continue;
        opened.push({ at: new Date(Math.floor(openAt / 1000) * 1000), subjectId: activityId });
        if (!rng.chance(0.35)) continue;
        const clickAt = openAt + rng.next() * 600_000;
        clicked.push({ at: new Date(Math.floor(clickAt / 1000) * 1000), subjectId: activityId });
        if (rng.chance(0.6)) view(clickAt + 60_000);
      }
    }
    // Browsers who never buy: several visits in the last 90 days.
    if (isProspect && rng.chance(0.25)) {
      const visits = rng.int(2, 8);
      for (let v = 0; v < visits; v++) view(this.toMs - rng.next() * 90 * DAY);
    }
    viewed.sort((a, b) => a.at.getTime() - b.at.getTime());
    return { delivered, opened, clicked, viewed };
  }

  *customers(): Generator<GeneratedCustomer> {
    for (let i = 0; i < this.spec.customers; i++) yield this.customer(i);
  }

  /** Orders of one account holder, oldest first. */
  ordersOfCustomer(index: number): GeneratedOrder[] {
    if (index >= this.buyers) return [];
    const tl = this.timeline(index);
    const times = this.orderTimes(index, tl);
    const rng = Random.for(this.spec.seed, index * 4 + 4);
    return this.withJourneys(
      times.map((t, k) => this.order(rng, index, this.customerId(index), t, tl.aovCents, k === 0)),
      index,
    );
  }

  private guestOrder(g: number): GeneratedOrder {
    const slot = this.spec.customers + g;
    const rng = Random.for(this.spec.seed, slot * 4 + 1);
    const t = this.fromMs + rng.next() * (this.toMs - this.fromMs);
    const [order] = this.withJourneys(
      [this.order(rng, slot, null, t, Math.round(rng.logNormal(Math.log(4200), 0.5)), true)],
      slot,
    );
    if (!order) throw new Error("a guest order lost its journey");
    return order;
  }

  /** Every order: account holders' (customer by customer), then guest checkouts. */
  *orders(): Generator<GeneratedOrder> {
    for (let i = 0; i < this.buyers; i++) yield* this.ordersOfCustomer(i);
    for (let g = 0; g < this.guestOrders; g++) yield this.guestOrder(g);
  }

  /** One order by id, regenerated from the buyer slot its id encodes. */
  orderById(id: number): GeneratedOrder | undefined {
    const slot = id % ORDER_SLOT_BITS;
    if (slot < this.buyers) return this.ordersOfCustomer(slot).find((o) => o.id === id);
    const g = slot - this.spec.customers;
    if (g >= 0 && g < this.guestOrders) {
      const order = this.guestOrder(g);
      return order.id === id ? order : undefined;
    }
    return undefined;
  }

  /** Index of the customer with this id, when it is one of the dataset's. */
  customerIndex(id: number): number | undefined {
    const index = id - (this.spec.customerIdBase ?? CUSTOMER_ID_BASE);
    return Number.isInteger(index) && index >= 0 && index < this.spec.customers ? index : undefined;
  }

  /** Counts without building orders (for ordersCount). */
  countOrders(): number {
    let n = this.guestOrders;
    for (let i = 0; i < this.buyers; i++) n += this.orderTimes(i, this.timeline(i)).length;
    return n;
  }

  private order(
    rng: Random,
    slot: number,
    customerId: number | null,
    t: number,
    aovCents: number,
    first: boolean,
  ): GeneratedOrder {
    const createdAt = new Date(Math.floor(t / 1000) * 1000);
    const id = (Math.floor(createdAt.getTime() / 1000) - ID_EPOCH_SECONDS) * ORDER_SLOT_BITS + slot;
    const peak = peakNameFor(t);
    const discountCodes: string[] = [];
    if (peak === "black_friday" && rng.chance(0.6)) discountCodes.push("BLACKFRIDAY25");
    else if (peak === "christmas" && rng.chance(0.3)) discountCodes.push("XMAS15");
    else if (peak === "mothers_day" && rng.chance(0.3)) discountCodes.push("MOM10");
    else if (first && customerId !== null && rng.chance(0.3)) discountCodes.push("WELCOME10");
    else if (rng.chance(0.08)) discountCodes.push("SPRING10");
    const discount =
      discountCodes[0] === "BLACKFRIDAY25"
        ? 0.25
        : discountCodes[0] === "XMAS15"
          ? 0.15
          : discountCodes.length
            ? 0.1
            : 0;

    const totalCents = Math.max(295, Math.round(aovCents * rng.logNormal(0, 0.3) * (1 - discount)));
    const itemCount = rng.chance(0.55) ? 1 : rng.int(2, 4);
    const lineItems: GeneratedLineItem[] = [];
    let left = totalCents;
    for (let k = 0; k < itemCount; k++) {
      const product = rng.pick(PRODUCTS);
      const amountCents = k === itemCount - 1 ? left : Math.round(left * (0.3 + rng.next() * 0.4));
      left -= amountCents;
      lineItems.push({
        id: id * 10 + k,
        productId: product.id,
        title: product.title,
        vendor: product.vendor,
        productType: product.productType,
        quantity: rng.int(1, 3),
        amountCents,
      });
    }

    const test = rng.chance(0.004);
    const cancelled = !test && rng.chance(0.02);
    const cancelAt = cancelled ? new Date(createdAt.getTime() + rng.int(1, 48) * 3_600_000) : null;
    // Nothing happens after the shop's last day.
    const cancelledAt = cancelAt && cancelAt.getTime() <= this.toMs ? cancelAt : null;
    const refunds: GeneratedRefund[] = [];
    if (cancelled && cancelledAt) {
      refunds.push({ id: id * 10 + 9, createdAt: cancelledAt, amountCents: totalCents });
    } else if (!test && rng.chance(0.06)) {
      const at = new Date(createdAt.getTime() + rng.int(3, 30) * DAY);
      if (at.getTime() <= this.toMs) {
        const full = rng.chance(0.5);
        refunds.push({
          id: id * 10 + 9,
          createdAt: at,
          amountCents: full ? totalCents : Math.round(totalCents * (0.2 + rng.next() * 0.5)),
        });
      }
    }
    const totalRefundedCents = refunds.reduce((s, r) => s + r.amountCents, 0);
    const foreign = rng.chance(0.12);
    const presentmentCurrency = foreign ? rng.pick(Object.keys(RATES)) : this.spec.currency;
    const updatedAt = new Date(
      Math.max(createdAt.getTime(), cancelledAt?.getTime() ?? 0, ...refunds.map((r) => r.createdAt.getTime())),
    );
    return {
      id,
      name: `#${1000 + (id % 9_000_000)}`,
      customerId,
      createdAt,
      processedAt: createdAt,
      updatedAt,
      cancelledAt,
      test,
      shopCurrency: this.spec.currency,
      presentmentCurrency,
      presentmentRate: foreign ? (RATES[presentmentCurrency] as number) : 1,
      totalCents,
      totalRefundedCents,
      currentTotalCents: totalCents - totalRefundedCents,
      discountCodes,
      refunds,
      lineItems,
      journey: null,
    };
  }

  private pickChannel(rng: Random, repeatBuyer: boolean): Channel {
    const entries = Object.entries(CHANNEL_WEIGHTS) as [Channel, [number, number]][];
    const total = entries.reduce((s, [, w]) => s + w[repeatBuyer ? 1 : 0], 0);
    let u = rng.next() * total;
    for (const [channel, w] of entries) {
      u -= w[repeatBuyer ? 1 : 0];
      if (u < 0) return channel;
    }
    return "direct";
  }

  private visit(rng: Random, channel: Channel, order: GeneratedOrder, daysBefore: number): GeneratedVisit {
    const occurredAt = new Date(order.createdAt.getTime() - daysBefore * DAY - rng.int(60, 3_600) * 1000);
    const product = order.lineItems[0]?.productId ?? 0;
    const landing = `https://shop.example/products/${product}`;
    switch (channel) {
      case "direct":
        return {
          occurredAt,
          source: "direct",
          sourceType: null,
          referrerUrl: null,
          landingPage: "https://shop.example/",
          utm: null,
        };
      case "search": {
        // Google mostly, Bing some, DuckDuckGo rarely (a channel too small to rank).
        const u = rng.next();
        const [source, referrerUrl] =
          u < 0.85
            ? ["Google", "https://www.google.com/"]
            : u < 0.97
              ? ["Bing", "https://www.bing.com/"]
              : ["DuckDuckGo", "https://duckduckgo.com/"];
        return { occurredAt, source, sourceType: "SEO", referrerUrl, landingPage: landing, utm: null };
      }
      case "paid_social": {
        const instagram = rng.chance(0.6);
        const campaign =
          peakNameFor(order.createdAt.getTime()) === "black_friday" ? "black_friday" : rng.pick(PAID_CAMPAIGNS);
        return {
          occurredAt,
          source: instagram ? "Instagram" : "Facebook",
          sourceType: "AD",
          referrerUrl: instagram ? "https://l.instagram.com/" : "https://l.facebook.com/",
          landingPage: `${landing}?utm_campaign=${campaign}`,
          utm: { campaign, medium: "paid_social", source: instagram ? "instagram" : "facebook" },
        };
      }
      case "email": {
        const campaign = rng.pick(EMAIL_CAMPAIGNS);
        return {
          occurredAt,
          source: "email",
          sourceType: "NEWSLETTER",
          referrerUrl: null,
          landingPage: `${landing}?utm_campaign=${campaign}`,
          utm: { campaign, medium: "email", source: "shopify_email" },
        };
      }
      case "referral": {
        const site = rng.pick(REFERRERS);
        const creator = site === "wonenblog.nl" && rng.chance(0.5);
        return {
          occurredAt,
          source: site,
          sourceType: null,
          referrerUrl: `https://${site}/artikel/${rng.int(1, 400)}`,
          landingPage: landing,
          utm: creator ? { campaign: "creator_program", medium: "referral", source: "wonenblog" } : null,
        };
      }
    }
  }

  /**
   * Each order's customerJourneySummary, from a stream of its own (the orders stay as they were): none before the
   * shop's journey history and for a few non-online orders, no first visit for buyers who declined tracking, the
   * first order's channel weighted by whether the customer comes back, later orders mostly direct or email; ready
   * within the hour for most orders, up to a few days for some.
   */
  private withJourneys(orders: GeneratedOrder[], key: number): GeneratedOrder[] {
    const rng = Random.for(this.spec.seed ^ 0x6a0e, key);
    const historyFrom = this.fromMs + (this.toMs - this.fromMs) * JOURNEY_HISTORY_SHARE;
    const repeatBuyer = orders.filter((o) => !o.test).length >= 2;
    let index = 0;
    return orders.map((order, k) => {
      if (!order.test) index++;
      const draw = rng.next();
      if (order.createdAt.getTime() < historyFrom || draw < 0.03) return order;
      const delayMs = rng.chance(0.9) ? rng.int(60, 1_800) * 1000 : Math.round(rng.exponential(0.5) * DAY) + 3_600_000;
      const readyAt = new Date(order.createdAt.getTime() + delayMs);
      if (rng.chance(0.12))
        return { ...order, journey: { readyAt, customerOrderIndex: index, daysToConversion: null, firstVisit: null } };
      const channel: Channel =
        k === 0
          ? this.pickChannel(rng, repeatBuyer)
          : rng.chance(0.5)
            ? "direct"
            : rng.chance(0.7)
              ? "email"
              : "search";
      const days = rng.chance(0.5) ? 0 : rng.int(1, 30);
      return {
        ...order,
        journey: {
          readyAt,
          customerOrderIndex: index,
          daysToConversion: days,
          firstVisit: this.visit(rng, channel, order, days),
        },
      };
    });
  }
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
