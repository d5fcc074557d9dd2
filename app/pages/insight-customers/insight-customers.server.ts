import { z } from "zod";
import type { Db } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";
import { latestInsights } from "../../pipeline/insights/insights.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { resolveLocale } from "../../i18n/locale.server";
import { MESSAGES } from "../../i18n/messages";
import { segmentName } from "../../i18n/rfm/presets";
import { SEGMENT_KEYS, type SegmentKey } from "../../domain/rfm/segments";
import { customerName } from "../../domain/customer-name";
import { CSV_COMMA, CSV_SEMICOLON, csvRows, csvStart, type CsvColumn } from "../../domain/csv";
import { InsightDim, shopifyProductQueries, storedGroupCustomers } from "../../domain/insights/members";
import { customerAdminUrl, productAdminUrl } from "../../shopify/admin-urls";
import { customerDataNotice } from "../../shopify/customer-data-access.server";

/** The list's query string: which insight group, and a keyset cursor (the last or first id shown). */
const InsightListQuery = z.object({
  insight: InsightDim,
  key: z.string().min(1).max(500),
  after: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .catch(undefined),
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .catch(undefined),
});

const PAGE_SIZE = 50;
const noSuchGroup = () => new Response("No such insight group", { status: 404 });

type MemberRow = {
  id: bigint;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  segment: string | null;
  orders: number | null;
  net_spend: string | null;
};

/** The group as the stored run counted it: 404 when the newest run shows no such group. */
async function storedGroup(db: Db, shop: string, request: Request) {
  const parsed = InsightListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw noSuchGroup();
  const insights = await latestInsights(db, shop);
  const customers = insights ? storedGroupCustomers(insights, parsed.data.insight, parsed.data.key) : null;
  if (customers === null) throw noSuchGroup();
  return { query: parsed.data, customers };
}

/**
 * One insight group's customers (an insight row's "customers" link), paged by keyset off InsightMember's primary
 * key: never an OFFSET, never a count at read time — the count shown is the stored run's, which the members match.
 */
export async function loadInsightCustomersPage(db: Db, shop: string, request: Request) {
  const { query, customers } = await storedGroup(db, shop, request);
  const { insight: dim, key } = query;
  const backwards = query.before !== undefined;
  const [rows, settings, { locale }, customerData] = await Promise.all([
    backwards
      ? queryRows(
          db,
          "pipeline/insights/insight-customers-before.sql",
          shop,
          dim,
          key,
          BigInt(query.before ?? 0),
          PAGE_SIZE + 1,
        )
      : queryRows(
          db,
          "pipeline/insights/insight-customers-after.sql",
          shop,
          dim,
          key,
          BigInt(query.after ?? 0),
          PAGE_SIZE + 1,
        ),
    loadRfmSettings(db, shop),
    resolveLocale(db, shop, request),
    customerDataNotice(db, shop),
  ]);
  const more = rows.length > PAGE_SIZE;
  // Walking back reads the ids just below the cursor: the extra row is the lowest one.
  const page = backwards ? rows.slice(more ? 1 : 0) : rows.slice(0, PAGE_SIZE);
  const first = page[0];
  const last = page[page.length - 1];
  const names = Object.fromEntries(SEGMENT_KEYS.map((k) => [k, segmentName(k, settings, locale)]));
  return {
    dim,
    key,
    customers,
    productUrl: dim === "product" ? productAdminUrl(shop, key) : null,
    shopifyQueries: dim === "product" ? shopifyProductQueries(key) : null,
    customerData,
    rows: page.map((r) => ({
      customerId: String(r.id),
      name: customerName(r.first_name, r.last_name),
      email: r.email,
      segment: r.segment === null ? null : (names[r.segment] ?? r.segment),
      orders: r.orders,
      netSpend: r.net_spend,
      adminUrl: customerAdminUrl(shop, r.id),
    })),
    next: last && (backwards || more) ? String(last.id) : null,
    previous: first && (backwards ? more : query.after !== undefined) ? String(first.id) : null,
  };
}

/** The export's columns, in order. */
function memberCsvColumns(
  h: (typeof MESSAGES)["en"]["segment"]["csv"],
  segment: (key: string) => string,
): CsvColumn<MemberRow>[] {
  return [
    { header: h.customerId, cell: (r) => String(r.id) },
    { header: h.email, cell: (r) => r.email },
    { header: h.firstName, cell: (r) => r.first_name },
    { header: h.lastName, cell: (r) => r.last_name },
    { header: h.segment, cell: (r) => (r.segment === null ? null : segment(r.segment)) },
    { header: h.orders, cell: (r) => r.orders },
    { header: h.netSpend, cell: (r) => (r.net_spend === null ? null : { amount: r.net_spend }) },
  ];
}

/** The whole group as CSV in the admin's dialect, streamed in keyset batches (memory stays flat at any size). */
export async function insightCustomersCsv(db: Db, shop: string, request: Request, batch = 5_000) {
  const { query } = await storedGroup(db, shop, request);
  const [settings, { locale, context }] = await Promise.all([
    loadRfmSettings(db, shop),
    resolveLocale(db, shop, request),
  ]);
  const isSegment = (k: string): k is SegmentKey => (SEGMENT_KEYS as readonly string[]).includes(k);
  const columns = memberCsvColumns(MESSAGES[context.language].segment.csv, (k) =>
    isSegment(k) ? segmentName(k, settings, locale) : k,
  );
  const dialect = context.language === "nl" ? CSV_SEMICOLON : CSV_COMMA;
  const encoder = new TextEncoder();
  let after = 0n;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvStart(columns, dialect)));
        return;
      }
      const rows = await queryRows(
        db,
        "pipeline/insights/insight-customers-after.sql",
        shop,
        query.insight,
        query.key,
        after,
        batch,
      );
      const last = rows[rows.length - 1];
      if (rows.length > 0) controller.enqueue(encoder.encode(csvRows(rows, columns, dialect)));
      if (!last || rows.length < batch) controller.close();
      else after = last.id;
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  const slug = `${query.insight}-${query.key}`.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 80);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rfm-insight-${slug}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
