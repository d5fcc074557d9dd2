import type { GeneratedOrder } from "../emulator/generator";

/**
 * An independent implementation of the aggregate rules, written from the
 * README's definitions (not from the app's SQL), to check the app against.
 */

export interface TruthOrder {
  id: number;
  customerId: number | null;
  processedAt: Date;
  cancelled: boolean;
  test: boolean;
  deleted: boolean;
  totalCents: number;
  currentTotalCents: number;
  discounted: boolean;
  refunds: { createdAt: Date; amountCents: number }[];
}

export interface ExpectedAggregate {
  customerId: string;
  firstOrderAt: string;
  lastOrderAt: string;
  orderCount: number;
  grossCents: number;
  netCents: number;
  refundCount: number;
  refundCents: number;
  lastRefundAt: string | null;
  discountOrderCount: number;
  firstOrderDiscounted: boolean;
  firstOrderPeak: string | null;
  avgDaysBetweenOrders: number | null;
  orders365: number;
  gross365Cents: number;
  net365Cents: number;
}

export function truthFromGenerated(o: GeneratedOrder, customerOf: (id: number) => number = (id) => id): TruthOrder {
  return {
    id: o.id,
    customerId: o.customerId === null ? null : customerOf(o.customerId),
    processedAt: o.processedAt,
    cancelled: o.cancelledAt !== null,
    test: o.test,
    deleted: false,
    totalCents: o.totalCents,
    currentTotalCents: o.currentTotalCents,
    discounted: o.discountCodes.length > 0,
    refunds: o.refunds.map((r) => ({ createdAt: r.createdAt, amountCents: r.amountCents })),
  };
}

function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Default peaks: Black Friday–Cyber Monday, 1–24 December, the week up to Mother's Day (2nd Sunday of May). */
function peakOfDate(date: string): string | null {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const day = (month: number, dayOfMonth: number) => Date.UTC(y, month - 1, dayOfMonth);
  const t = day(m, d);
  const novFirst = new Date(day(11, 1)).getUTCDay();
  const thanksgiving = 1 + ((4 - novFirst + 7) % 7) + 21;
  const bf = day(11, thanksgiving + 1);
  if (t >= bf && t <= bf + 3 * 86_400_000) return "black_friday";
  if (m === 12 && d >= 1 && d <= 24) return "christmas";
  const mayFirst = new Date(day(5, 1)).getUTCDay();
  const mothers = day(5, 1 + ((7 - mayFirst) % 7) + 7);
  if (t >= mothers - 7 * 86_400_000 && t <= mothers) return "mothers_day";
  return null;
}

export function expectedAggregates(
  orders: TruthOrder[],
  opts: { windowEnd: (customerId: string) => Date; timeZone: string },
): Map<string, ExpectedAggregate> {
  const byCustomer = new Map<number, TruthOrder[]>();
  for (const o of orders) {
    if (o.customerId === null || o.test || o.cancelled || o.deleted) continue;
    const list = byCustomer.get(o.customerId) ?? [];
    list.push(o);
    byCustomer.set(o.customerId, list);
  }
  const out = new Map<string, ExpectedAggregate>();
  for (const [customerId, list] of byCustomer) {
    list.sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || a.id - b.id);
    const first = list[0] as TruthOrder;
    const last = list.reduce((a, b) => (b.processedAt > a.processedAt ? b : a));
    const windowEnd = opts.windowEnd(String(customerId)).getTime();
    const inWindow = list.filter(
      (o) => o.processedAt.getTime() > windowEnd - 365 * 86_400_000 && o.processedAt.getTime() <= windowEnd,
    );
    const refunds = list.flatMap((o) => o.refunds);
    const sum = (xs: TruthOrder[], f: (o: TruthOrder) => number) => xs.reduce((s, o) => s + f(o), 0);
    const n = list.length;
    out.set(String(customerId), {
      customerId: String(customerId),
      firstOrderAt: first.processedAt.toISOString(),
      lastOrderAt: last.processedAt.toISOString(),
      orderCount: n,
      grossCents: sum(list, (o) => o.totalCents),
      netCents: sum(list, (o) => o.currentTotalCents),
      refundCount: refunds.length,
      refundCents: refunds.reduce((s, r) => s + r.amountCents, 0),
      lastRefundAt: refunds.length
        ? new Date(Math.max(...refunds.map((r) => r.createdAt.getTime()))).toISOString()
        : null,
      discountOrderCount: list.filter((o) => o.discounted).length,
      firstOrderDiscounted: first.discounted,
      firstOrderPeak: peakOfDate(localDate(first.processedAt, opts.timeZone)),
      avgDaysBetweenOrders:
        n > 1 ? (last.processedAt.getTime() - first.processedAt.getTime()) / 86_400_000 / (n - 1) : null,
      orders365: inWindow.length,
      gross365Cents: sum(inWindow, (o) => o.totalCents),
      net365Cents: sum(inWindow, (o) => o.currentTotalCents),
    });
  }
  return out;
}

const cents = (v: { toString(): string } | string) => Math.round(Number(String(v)) * 100);

/** The app's CustomerAggregate rows in the same shape, for a deep comparison. */
export function actualAggregates(
  rows: {
    customerId: bigint;
    firstOrderAt: Date;
    lastOrderAt: Date;
    orderCount: number;
    grossSpend: { toString(): string };
    netSpend: { toString(): string };
    refundCount: number;
    refundAmount: { toString(): string };
    lastRefundAt: Date | null;
    discountOrderCount: number;
    firstOrderDiscounted: boolean;
    firstOrderPeak: string | null;
    avgDaysBetweenOrders: number | null;
    orders365: number;
    gross365: { toString(): string };
    net365: { toString(): string };
  }[],
): Map<string, ExpectedAggregate> {
  return new Map(
    rows.map((r) => [
      String(r.customerId),
      {
        customerId: String(r.customerId),
        firstOrderAt: r.firstOrderAt.toISOString(),
        lastOrderAt: r.lastOrderAt.toISOString(),
        orderCount: r.orderCount,
        grossCents: cents(r.grossSpend),
        netCents: cents(r.netSpend),
        refundCount: r.refundCount,
        refundCents: cents(r.refundAmount),
        lastRefundAt: r.lastRefundAt?.toISOString() ?? null,
        discountOrderCount: r.discountOrderCount,
        firstOrderDiscounted: r.firstOrderDiscounted,
        firstOrderPeak: r.firstOrderPeak,
        avgDaysBetweenOrders: r.avgDaysBetweenOrders,
        orders365: r.orders365,
        gross365Cents: cents(r.gross365),
        net365Cents: cents(r.net365),
      },
    ]),
  );
}

/** Field-by-field differences, with a float tolerance for the average gap. */
export function diffAggregates(
  expected: Map<string, ExpectedAggregate>,
  actual: Map<string, ExpectedAggregate>,
): string[] {
  const diffs: string[] = [];
  for (const id of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(id);
    const a = actual.get(id);
    if (!e || !a) {
      diffs.push(`${id}: ${e ? "missing in app" : "unexpected in app"}`);
      continue;
    }
    for (const key of Object.keys(e) as (keyof ExpectedAggregate)[]) {
      const ev = e[key];
      const av = a[key];
      if (key === "avgDaysBetweenOrders" && typeof ev === "number" && typeof av === "number") {
        if (Math.abs(ev - av) > 1e-6) diffs.push(`${id}.${key}: expected ${ev}, got ${av}`);
      } else if (ev !== av) diffs.push(`${id}.${key}: expected ${String(ev)}, got ${String(av)}`);
    }
  }
  return diffs;
}
