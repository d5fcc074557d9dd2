// An independent restatement of the insights the rfm.insights job stores, from the raw generated orders. It imports
// nothing from app/: the rules are written out again here from the README (which orders count, first order, minimum
// support, Wilson 95 % interval, ranking), so a mistake in the app's SQL or domain code shows up as a difference.
import type { GeneratedOrder } from "../emulator/generator";

export const ORACLE_LOYAL = ["champions", "loyal"];
export const ORACLE_LOST = ["lost", "lost_engaged", "hibernating"];

export interface OracleGroup {
  key: string;
  customers: number;
  repeaters: number;
  repeatRate: number;
  repeatLow: number;
  repeatHigh: number;
  loyal: number;
  lost: number;
  loyalShare: number;
  lostShare: number;
  medianNetSpend: number;
  segments: Record<string, number>;
}

interface Buyer {
  id: number;
  orders: GeneratedOrder[];
  netCents: number;
  segment: string | null;
}

/** Counted: has a customer, not a test, not cancelled (the generator deletes nothing). */
function counted(o: GeneratedOrder): boolean {
  return o.customerId !== null && !o.test && o.cancelledAt === null;
}

export function buyersOf(orders: Iterable<GeneratedOrder>, segments: Map<number, string>): Buyer[] {
  const byCustomer = new Map<number, GeneratedOrder[]>();
  for (const o of orders) {
    if (!counted(o) || o.customerId === null) continue;
    const list = byCustomer.get(o.customerId) ?? [];
    list.push(o);
    byCustomer.set(o.customerId, list);
  }
  return [...byCustomer].map(([id, list]) => {
    list.sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || a.id - b.id);
    return {
      id,
      orders: list,
      netCents: list.reduce((s, o) => s + o.currentTotalCents, 0),
      segment: segments.get(id) ?? null,
    };
  });
}

function wilson(k: number, n: number): [number, number] {
  // Wilson score interval, z = Φ⁻¹(0.975).
  const z = 1.959963984540054;
  if (n === 0) return [0, 1];
  const p = k / n;
  const a = 1 + (z * z) / n;
  const mid = (p + (z * z) / (2 * n)) / a;
  const half = (z / a) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, mid - half), Math.min(1, mid + half)];
}

function medianCents(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** What became of a set of buyers; `repeated` says who counts as coming back. */
export function describe(key: string, buyers: Buyer[], repeated: (b: Buyer) => boolean): OracleGroup {
  const n = buyers.length;
  const repeaters = buyers.filter(repeated).length;
  const segments: Record<string, number> = {};
  for (const b of buyers) if (b.segment) segments[b.segment] = (segments[b.segment] ?? 0) + 1;
  const loyal = buyers.filter((b) => b.segment !== null && ORACLE_LOYAL.includes(b.segment)).length;
  const lost = buyers.filter((b) => b.segment !== null && ORACLE_LOST.includes(b.segment)).length;
  const [low, high] = wilson(repeaters, n);
  return {
    key,
    customers: n,
    repeaters,
    repeatRate: n ? repeaters / n : 0,
    repeatLow: low,
    repeatHigh: high,
    loyal,
    lost,
    loyalShare: n ? loyal / n : 0,
    lostShare: n ? lost / n : 0,
    medianNetSpend: Math.round(medianCents(buyers.map((b) => b.netCents))) / 100,
    segments,
  };
}

const secondOrder = (b: Buyer) => b.orders.length >= 2;

function dimension(
  buyers: Buyer[],
  keysOf: (first: GeneratedOrder) => string[],
  minSupport: number,
  listLength: number,
) {
  const members = new Map<string, Buyer[]>();
  for (const b of buyers) {
    const first = b.orders[0];
    if (!first) continue;
    for (const k of new Set(keysOf(first))) members.set(k, [...(members.get(k) ?? []), b]);
  }
  const all = [...members].map(([k, list]) => describe(k, list, secondOrder));
  const byCustomers = (a: OracleGroup, b: OracleGroup) => b.customers - a.customers || (a.key < b.key ? -1 : 1);
  const groups = all.filter((g) => g.customers >= minSupport).sort(byCustomers);
  return {
    groups,
    belowSupport: all.length - groups.length,
    makesLoyal: [...groups]
      .sort((a, b) => b.repeatLow - a.repeatLow || byCustomers(a, b))
      .slice(0, listLength)
      .map((g) => g.key),
    noReturn: [...groups]
      .sort((a, b) => a.repeatHigh - b.repeatHigh || byCustomers(a, b))
      .slice(0, listLength)
      .map((g) => g.key),
  };
}

export function oracleFirstProducts(buyers: Buyer[], minSupport: number, listLength: number) {
  return {
    minSupport,
    shop: describe("", buyers, secondOrder),
    products: dimension(buyers, (o) => o.lineItems.map((l) => String(l.productId)), minSupport, listLength),
    vendors: dimension(buyers, (o) => o.lineItems.map((l) => l.vendor).filter((v) => v !== ""), minSupport, listLength),
  };
}

const usedCode = (o: GeneratedOrder | undefined) => (o?.discountCodes.length ?? 0) > 0;

export function oracleCoupons(buyers: Buyer[]) {
  const firstCoupon = buyers.filter((b) => usedCode(b.orders[0]));
  const cameBack = firstCoupon.filter((b) => b.orders.length >= 2);
  const third = (b: Buyer) => b.orders.length >= 3;
  return {
    firstOrder: {
      coupon: describe("coupon", firstCoupon, secondOrder),
      fullPrice: describe(
        "full_price",
        buyers.filter((b) => !usedCode(b.orders[0])),
        secondOrder,
      ),
    },
    secondOrder: {
      firstCouponBuyers: firstCoupon.length,
      oneTime: firstCoupon.length - cameBack.length,
      coupon: describe(
        "coupon",
        cameBack.filter((b) => usedCode(b.orders[1])),
        third,
      ),
      fullPrice: describe(
        "full_price",
        cameBack.filter((b) => !usedCode(b.orders[1])),
        third,
      ),
    },
  };
}

/** YYYY-MM of an instant in a time zone. */
function localMonth(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}`;
}

const monthNumber = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;

export function oracleCohorts(buyers: Buyer[], timeZone: string, asOfMonth: string) {
  const byMonth = new Map<string, Buyer[]>();
  for (const b of buyers) {
    const first = b.orders[0];
    if (!first) continue;
    const m = localMonth(first.processedAt, timeZone);
    byMonth.set(m, [...(byMonth.get(m) ?? []), b]);
  }
  const cohorts = [...byMonth.keys()].sort().map((month) => {
    const members = byMonth.get(month) ?? [];
    const segments: Record<string, number> = {};
    for (const b of members) if (b.segment) segments[b.segment] = (segments[b.segment] ?? 0) + 1;
    const start = monthNumber(month);
    const offsetOf = (o: GeneratedOrder) => monthNumber(localMonth(o.processedAt, timeZone)) - start;
    const spendByOffset = members.flatMap((b) => b.orders.map((o) => [offsetOf(o), o.currentTotalCents] as const));
    const secondOffsets = members.flatMap((b) => (b.orders[1] ? [offsetOf(b.orders[1])] : []));
    const cells = [];
    for (let offset = 0; offset <= monthNumber(asOfMonth) - start; offset++) {
      const cents = spendByOffset.filter(([k]) => k <= offset).reduce((sum, [, c]) => sum + c, 0);
      const second = secondOffsets.filter((k) => k <= offset).length;
      cells.push({
        offset,
        cumulativeNetPerCustomer: Math.round(cents / members.length) / 100,
        repeatRate: second / members.length,
      });
    }
    return { month, customers: members.length, segments, cells };
  });
  return { asOfMonth, cohorts };
}

/** What Shopify's customerJourneySummary said of an order at `now`, restated from the raw journey. */
function journeyStateAt(o: GeneratedOrder, now: number): "attributed" | "no_visit" | "pending" | "none" {
  if (!o.journey) return "none";
  if (now < o.journey.readyAt.getTime()) return "pending";
  return o.journey.firstVisit ? "attributed" : "no_visit";
}

/**
 * Channels: the customer's first counted order's first visit — tactic (lower case, "none" without one) and source,
 * and its UTM campaign — when Shopify had attributed it by `now`; coverage counts every customer by that order's state.
 */
export function oracleChannels(buyers: Buyer[], now: number, minSupport: number, listLength: number) {
  const attributed = (o: GeneratedOrder) => journeyStateAt(o, now) === "attributed" && o.journey?.firstVisit;
  const firstStates = buyers.flatMap((b) => (b.orders[0] ? [journeyStateAt(b.orders[0], now)] : []));
  const count = (state: string) => firstStates.filter((s) => s === state).length;
  return {
    minSupport,
    coverage: {
      customers: firstStates.length,
      attributed: count("attributed"),
      noVisit: count("no_visit"),
      pending: count("pending"),
      none: count("none"),
      unknown: 0,
    },
    channels: dimension(
      buyers,
      (o) => {
        const visit = attributed(o);
        return visit ? [`${(visit.sourceType ?? "none").toLowerCase()}:${visit.source}`] : [];
      },
      minSupport,
      listLength,
    ),
    campaigns: dimension(
      buyers,
      (o) => {
        const visit = attributed(o);
        return visit && visit.utm ? [visit.utm.campaign] : [];
      },
      minSupport,
      listLength,
    ),
  };
}

/** Product types of the first counted order's lines (blank types left out, as vendors are). */
export function oracleProductTypes(buyers: Buyer[], minSupport: number, listLength: number) {
  return dimension(
    buyers,
    (o) => o.lineItems.map((l) => l.productType).filter((t) => t !== ""),
    minSupport,
    listLength,
  );
}
