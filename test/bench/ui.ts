// npm run bench:ui -- --customers 1000000 [--orders-per-customer 2.2] [--requests 50] [--warmup 5] [--reuse] [--database rfm_bench_ui]
// Page loads on a big shop, as the embedded admin makes them. Seeds a shop in
// the database (orders, customers, aggregates, one full scoring run — see
// ui-seed.ts), starts the Admin API emulator and the app server on it (the
// demo stack), installs the app through the real token exchange, then times
// sequential requests per page: Remix client navigations (single-fetch
// `<path>.data` with `Authorization: Bearer <session token>`, as App Bridge's
// fetch sends them) and document loads of the embedded URL (id_token, shop,
// host… as the admin frames the app). A fresh session token for every request. The app runs its production build
// (`npm run build` first when build/ is older than app/), as a merchant's does. Then Core Web Vitals per page in
// Debian's Chromium (web-vitals.ts): LCP and CLS of a load through the emulated admin, INP of a real click.
// Fails (exit 1) on any response that is not a 200 with the page's data.
// Last line: RESULT key=value …
//
// --reuse: measure the database a previous run seeded (DATABASE_URL server only).
import { parseArgs } from "node:util";
import pg from "pg";
import { decode } from "turbo-stream";
import { createDb } from "../../app/platform/db.server";
import { benchDatabase } from "./bench-database";
import { DEMO_APP, DEMO_SHOP, startDemoStack, type DemoStack } from "../demo/stack";
import { BROWSER_UA, embeddedAppUrl } from "../support/merchant";
import { waitFor } from "../support/wait";
import { seedUiShop } from "./ui-seed";
import { launchBrowser } from "../support/browser";
import { measureWebVitals, VITALS_BUDGET, type Vitals, type VitalsPage } from "./web-vitals";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    "orders-per-customer": { type: "string", default: "2.2" },
    requests: { type: "string", default: "50" },
    warmup: { type: "string", default: "5" },
    reuse: { type: "boolean", default: false },
    // A second seeded database (e.g. a smaller shop to iterate on) beside the 1 M one.
    database: { type: "string", default: "rfm_bench_ui" },
  },
});
const CUSTOMERS = Number(values.customers);
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const DATABASE = values.database;
const BUDGET_MS = 300;
const say = (line: string) => process.stdout.write(`${line}\n`);

const ROUTE = {
  dashboard: "routes/app._index",
  segment: "routes/app.segments.$key",
  customer: "routes/app.customers.$id",
  settings: "routes/app.settings",
  insights: "routes/app.insights",
  personas: "routes/app.personas",
  forecast: "routes/app.forecast",
} as const;

interface PageSpec {
  /** RESULT key stem and table label. */
  key: string;
  path: string;
  search?: Record<string, string>;
  route: string;
  /** Sanity check on the page's loader data (beyond "200 and the route has data"). */
  check?: (data: Record<string, unknown>) => string | null;
}

type Sample = { ms: number };
type Stats = { p50: number; p95: number; max: number; mean: number };

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
  return {
    p50: rank(50),
    p95: rank(95),
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

class RequestFailed extends Error {}

/** The embedded app, as the admin and App Bridge reach it. */
class Merchant {
  private frameParams!: URLSearchParams;
  constructor(private readonly stack: DemoStack) {}

  async init(): Promise<void> {
    const src = new URL(await embeddedAppUrl(this.stack.adminUrl));
    this.frameParams = src.searchParams;
  }

  /** A fresh session token, as App Bridge's idToken() gets one from the admin. */
  async token(): Promise<string> {
    const response = await fetch(`${this.stack.emulator.url}/emulator/session-token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: DEMO_SHOP, apiKey: DEMO_APP.apiKey }),
    });
    if (!response.ok) throw new Error(`session token: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  }

  dataUrl(page: PageSpec): string {
    const url = new URL(`${page.path.replace(/\/$/, "")}.data`, this.stack.appUrl);
    for (const [k, v] of Object.entries(page.search ?? {})) url.searchParams.set(k, v);
    return url.toString();
  }

  docUrl(page: PageSpec, token: string): string {
    const url = new URL(page.path, this.stack.appUrl);
    for (const [k, v] of Object.entries(page.search ?? {})) url.searchParams.set(k, v);
    for (const [k, v] of this.frameParams) url.searchParams.set(k, v);
    url.searchParams.set("id_token", token);
    url.searchParams.set("timestamp", String(Math.floor(Date.now() / 1000)));
    return url.toString();
  }

  /** A client navigation's data request; returns the time and the page route's loader data. */
  async data(page: PageSpec): Promise<{ ms: number; data: Record<string, unknown> }> {
    const token = await this.token();
    const url = this.dataUrl(page);
    const started = performance.now();
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA, Accept: "*/*" },
      redirect: "manual",
    });
    const body = new Uint8Array(await response.arrayBuffer());
    const ms = performance.now() - started;
    if (response.status !== 200)
      throw new RequestFailed(`GET ${url} -> ${response.status}: ${new TextDecoder().decode(body).slice(0, 500)}`);
    const decoded = await decode(new Blob([body]).stream());
    await decoded.done;
    const entry = (decoded.value as Record<string, { data?: Record<string, unknown>; error?: unknown }>)[page.route];
    if (!entry?.data)
      throw new RequestFailed(
        `GET ${url}: no loader data for ${page.route}: ${JSON.stringify(decoded.value).slice(0, 500)}`,
      );
    const problem = page.check?.(entry.data);
    if (problem) throw new RequestFailed(`GET ${url}: ${problem}`);
    return { ms, data: entry.data };
  }

  /** A document load of the embedded URL (fresh id_token), read to the end. */
  async document(page: PageSpec): Promise<Sample> {
    const url = this.docUrl(page, await this.token());
    const started = performance.now();
    const response = await fetch(url, {
      headers: { "User-Agent": BROWSER_UA, Accept: "text/html" },
      redirect: "manual",
    });
    const html = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new RequestFailed(`GET ${url} -> ${response.status}: ${html.slice(0, 500)}`);
    // The auth library answers some requests with a 200 "bounce" page instead of the app.
    if (!html.includes("__remixContext") || !html.includes(JSON.stringify(page.route).slice(1, -1))) {
      throw new RequestFailed(`GET ${url}: 200 but not the rendered ${page.route} page: ${html.slice(0, 500)}`);
    }
    return { ms };
  }
}

async function pendingJobs(client: pg.Client): Promise<string[]> {
  const exists = await client.query(`SELECT to_regclass('pgboss.job') AS t`);
  if (!exists.rows[0]?.t) return [];
  const rows = await client.query<{ name: string; state: string }>(
    `SELECT name, state FROM pgboss.job WHERE data->>'shop' = $1 AND state IN ('created', 'retry', 'active')`,
    [DEMO_SHOP],
  );
  return rows.rows.map((r) => `${r.name}:${r.state}`);
}

async function counts(client: pg.Client) {
  const row = (
    await client.query<{ scores: string; runs: string; customers: string; orders: string }>(
      `SELECT (SELECT count(*) FROM "CustomerScore" WHERE shop = $1) AS scores,
              (SELECT count(*) FROM "ScoringRun" WHERE shop = $1) AS runs,
              (SELECT count(*) FROM "Customer" WHERE shop = $1) AS customers,
              (SELECT count(*) FROM "Order" WHERE shop = $1) AS orders`,
      [DEMO_SHOP],
    )
  ).rows[0];
  return {
    scores: Number(row?.scores),
    runs: Number(row?.runs),
    customers: Number(row?.customers),
    orders: Number(row?.orders),
  };
}

async function database(): Promise<{ url: string; stop: () => Promise<void>; seeded: boolean }> {
  if (!values.reuse) return { ...(await benchDatabase(DATABASE)), seeded: false };
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error("--reuse needs DATABASE_URL (a PostgreSQL server)");
  const u = new URL(server);
  u.pathname = `/${DATABASE}`;
  return { url: u.toString(), stop: async () => {}, seeded: true };
}

async function main() {
  const started = Date.now();
  const db0 = await database();
  say(
    `database: ${process.env.DATABASE_URL ? `PostgreSQL server (${DATABASE})` : "embedded PGlite"}; ${CUSTOMERS} customers`,
  );
  const client = new pg.Client({ connectionString: db0.url });
  await client.connect();
  let stack: DemoStack | undefined;
  try {
    if (db0.seeded) {
      const c = await counts(client);
      if (c.scores !== CUSTOMERS)
        throw new Error(`--reuse: ${DATABASE} holds ${c.scores} scored customers, not ${CUSTOMERS}`);
      // A new emulator: the next document load exchanges a new token.
      await client.query(`DELETE FROM "Session" WHERE shop = $1`, [DEMO_SHOP]);
      say(`seed: reusing ${c.customers} customers, ${c.orders} orders, ${c.runs} scoring run(s)`);
    } else {
      const prisma = createDb(db0.url, 4);
      const pool = new pg.Pool({ connectionString: db0.url, max: 1 });
      try {
        await seedUiShop(prisma, pool, DEMO_SHOP, {
          customers: CUSTOMERS,
          ordersPerCustomer: Number(values["orders-per-customer"]),
          timezone: "Europe/Amsterdam",
          say,
        });
      } finally {
        await pool.end();
        await prisma.$disconnect();
      }
    }
    const before = await counts(client);

    // The emulator's shop has no customers or orders: nothing the app could sync over the seeded data.
    stack = await startDemoStack({
      mode: "production",
      databaseUrl: db0.url,
      dataset: { customers: 0, orders: 0 },
      logLevel: "warn",
    });
    if (stack.build?.built) say(`app: production build made in ${(stack.build.ms / 1000).toFixed(1)} s`);
    const merchant = new Merchant(stack);
    await merchant.init();

    // Install: the first document load exchanges the session token for the offline token (afterAuth runs).
    const install = await fetch(await embeddedAppUrl(stack.adminUrl), { headers: { "User-Agent": BROWSER_UA } });
    if (install.status !== 200) throw new Error(`install: ${install.status} ${(await install.text()).slice(0, 500)}`);
    await install.text();
    await waitFor(
      "the offline session",
      async () =>
        ((await client.query(`SELECT 1 FROM "Session" WHERE shop = $1 AND NOT "isOnline"`, [DEMO_SHOP])).rowCount ??
          0) > 0,
      30_000,
    );
    let quietSince = 0;
    await waitFor(
      "the install jobs to settle",
      async () => {
        if ((await pendingJobs(client)).length > 0) {
          quietSince = 0;
          return false;
        }
        quietSince ||= Date.now();
        return Date.now() - quietSince > 3_000;
      },
      180_000,
      250,
    );
    const settled = await counts(client);
    if (settled.scores !== before.scores || settled.runs !== before.runs || settled.orders !== before.orders) {
      throw new Error(`installing changed the seeded data: ${JSON.stringify(before)} -> ${JSON.stringify(settled)}`);
    }
    say(
      `app: installed on ${DEMO_SHOP}; ${settled.scores} scores, ${settled.runs} scoring run(s) intact; no jobs pending`,
    );

    // What the pages look at: a champion (the customer page), a name to search for, a cursor 20 pages deep.
    const champions: PageSpec = {
      key: "segment",
      path: "/app/segments/champions",
      route: ROUTE.segment,
      check: expectCustomers(50),
    };
    const first = await merchant.data(champions);
    const top = (first.data.customers as { customerId: string }[])[0]?.customerId;
    if (!top) throw new Error("champions is empty");
    const named = (
      await client.query<{ name: string }>(
        `SELECT c."firstName" || ' ' || c."lastName" AS name FROM "CustomerScore" s JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId"
         WHERE s.shop = $1 AND s.segment = 'champions' ORDER BY s."customerId" OFFSET (SELECT count(*) / 2 FROM "CustomerScore" WHERE shop = $1 AND segment = 'champions') LIMIT 1`,
        [DEMO_SHOP],
      )
    ).rows[0]?.name;
    if (!named) throw new Error("no champion to search for");
    let cursor = first.data.next as string | null;
    for (let i = 1; i < 20 && cursor; i++)
      cursor = (await merchant.data({ ...champions, search: { after: cursor } })).data.next as string | null;
    if (!cursor) throw new Error("champions has fewer than 21 pages of 50");

    const pages: PageSpec[] = [
      {
        key: "dashboard",
        path: "/app",
        route: ROUTE.dashboard,
        check: (d) =>
          (d.dashboard as { run: unknown } | undefined)?.run ? null : "the dashboard shows no scoring run",
      },
      champions,
      {
        key: "segment_sorted",
        path: "/app/segments/champions",
        search: { sort: "recency", dir: "asc" },
        route: ROUTE.segment,
        check: expectCustomers(50),
      },
      {
        key: "segment_search",
        path: "/app/segments/champions",
        search: { q: named },
        route: ROUTE.segment,
        check: expectCustomers(1, 50),
      },
      {
        key: "segment_deep",
        path: "/app/segments/champions",
        search: { after: cursor },
        route: ROUTE.segment,
        check: expectCustomers(50),
      },
      { key: "segment_big", path: "/app/segments/hibernating", route: ROUTE.segment, check: expectCustomers(50) },
      { key: "behaviour", path: "/app/segments/vip_top_5", route: ROUTE.segment, check: expectCustomers(50) },
      {
        key: "customer",
        path: `/app/customers/${top}`,
        route: ROUTE.customer,
        check: (d) => (d.score ? null : "the customer has no score"),
      },
      { key: "settings", path: "/app/settings", route: ROUTE.settings, check: (d) => (d.rfm ? null : "no settings") },
      {
        key: "insights",
        path: "/app/insights",
        route: ROUTE.insights,
        check: (d) => (d.insights ? null : "no stored insights"),
      },
      {
        key: "personas",
        path: "/app/personas",
        route: ROUTE.personas,
        check: (d) => (typeof d.total === "number" && d.total > 0 ? null : "no stored persona counts"),
      },
      {
        // The seed has one full run of history: the segment forecast shows "too few months", the CLV back-test shows.
        key: "forecast",
        path: "/app/forecast",
        route: ROUTE.forecast,
        check: (d) => (d.run ? null : "no stored forecast run"),
      },
    ];
    const labels: Record<string, string> = {
      dashboard: "/app (dashboard)",
      segment: "/app/segments/champions",
      segment_sorted: "  ?sort=recency&dir=asc",
      segment_search: `  ?q=${named}`,
      segment_deep: "  ?after=<page 21>",
      segment_big: "/app/segments/hibernating",
      behaviour: "/app/segments/vip_top_5",
      customer: `/app/customers/${top}`,
      settings: "/app/settings",
      insights: "/app/insights",
      personas: "/app/personas",
      forecast: "/app/forecast",
    };

    say(
      `measuring: ${pages.length} pages, ${WARMUP} warm-up + ${REQUESTS} sequential requests each, as data (.data) and document loads`,
    );
    const results: { page: PageSpec; data: Stats; doc: Stats }[] = [];
    for (const page of pages) {
      for (let i = 0; i < WARMUP; i++) {
        await merchant.data(page);
        await merchant.document(page);
      }
      const data: number[] = [];
      const doc: number[] = [];
      for (let i = 0; i < REQUESTS; i++) data.push((await merchant.data(page)).ms);
      for (let i = 0; i < REQUESTS; i++) doc.push((await merchant.document(page)).ms);
      results.push({ page, data: stats(data), doc: stats(doc) });
    }

    // Web vitals: each page once through the emulated admin in a real Chromium (query variants share the segment page).
    const vitalsPages: VitalsPage[] = [
      { key: "dashboard", subpath: "", ready: "#segments-as-of", click: ["#rf-grid a", "#segment-champions"] },
      ...[
        ["segment", "champions"],
        ["segment_big", "hibernating"],
        ["behaviour", "vip_top_5"],
      ].map(([key, segment]) => ({
        key: key ?? "",
        subpath: `/segments/${segment}`,
        ready: "#segment-customers",
        click: ["#customer-q", "#segment-name"],
      })),
      { key: "customer", subpath: `/customers/${top}`, ready: "#rfm-code", click: ["#rfm-code"] },
      {
        key: "settings",
        subpath: "/settings",
        ready: "#setting-scale",
        click: ["#setting-tag-prefix", "#setting-scale"],
      },
      { key: "insights", subpath: "/insights", ready: "#insights-as-of", click: ["#cohort-repeat", "#cohort-spend"] },
      { key: "personas", subpath: "/personas", ready: "#personas", click: ["#personas a", "#personas-as-of"] },
      {
        key: "forecast",
        subpath: "/forecast",
        ready: "#forecast-sizes, #forecast-not-enough",
        click: ["#forecast-sizes", "#clv-buckets", "#forecast-not-enough"],
      },
    ];
    say(`web vitals: ${vitalsPages.length} pages in Chromium through the emulated admin, a click on each for INP`);
    const browser = await launchBrowser();
    let vitals: { coldLcpMs: number; pages: Vitals[] };
    try {
      vitals = await measureWebVitals(browser, stack.adminUrl, vitalsPages);
    } finally {
      await browser.close();
    }

    const after = await counts(client);
    if (after.scores !== before.scores || after.runs !== before.runs)
      throw new Error(
        `the seeded data changed during the measurement: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
      );
    const busy = await pendingJobs(client);

    const ms = (n: number) => n.toFixed(1).padStart(7);
    const width = Math.max(...Object.values(labels).map((l) => l.length)) + 2;
    say("");
    say(
      `${"page".padEnd(width)}${"data p50".padStart(9)}${"p95".padStart(8)}${"max".padStart(8)}   ${"doc p50".padStart(8)}${"p95".padStart(8)}${"max".padStart(8)}   (ms, ${REQUESTS} requests each)`,
    );
    for (const r of results) {
      const flag = r.data.p95 > BUDGET_MS || r.doc.p95 > BUDGET_MS ? "  > 300 ms" : "";
      say(
        `${(labels[r.page.key] ?? r.page.key).padEnd(width)} ${ms(r.data.p50)} ${ms(r.data.p95)} ${ms(r.data.max)}    ${ms(r.doc.p50)} ${ms(r.doc.p95)} ${ms(r.doc.max)}${flag}`,
      );
    }
    say("");
    say(
      `${"page (Chromium, one load)".padEnd(width)}${"LCP ms".padStart(9)}${"CLS".padStart(8)}${"INP ms".padStart(8)}   clicked  (budget: LCP ≤ ${VITALS_BUDGET.lcpMs} ms, CLS ≤ ${VITALS_BUDGET.cls}, INP ≤ ${VITALS_BUDGET.inpMs} ms)`,
    );
    const overVitals = (v: Vitals) =>
      v.lcpMs > VITALS_BUDGET.lcpMs || v.cls > VITALS_BUDGET.cls || v.inpMs > VITALS_BUDGET.inpMs;
    for (const v of vitals.pages) {
      say(
        `${(labels[v.key] ?? v.key).padEnd(width)} ${ms(v.lcpMs)} ${v.cls.toFixed(3).padStart(7)} ${ms(v.inpMs)}   ${v.clicked}${overVitals(v) ? "  over budget" : ""}`,
      );
    }
    say(`first (cold cache) load of the dashboard: LCP ${vitals.coldLcpMs.toFixed(0)} ms`);
    say("");
    if (busy.length > 0) say(`note: jobs pending at the end: ${busy.join(", ")}`);
    say(`total: ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const p95 = Object.fromEntries(results.map((r) => [r.page.key, r.data.p95]));
    const dataMax = Math.max(...results.map((r) => r.data.p95));
    const docMax = Math.max(...results.map((r) => r.doc.p95));
    const over = results.filter((r) => r.data.p95 > BUDGET_MS || r.doc.p95 > BUDGET_MS).map((r) => r.page.key);
    const n = (x: number | undefined) => (x ?? NaN).toFixed(1);
    say(
      [
        "RESULT",
        `customers=${after.scores}`,
        `pages=${results.length}`,
        `requests_per_page=${REQUESTS}`,
        `p95_ms_max=${n(Math.max(dataMax, docMax))}`,
        `p95_data_ms_max=${n(dataMax)}`,
        `p95_doc_ms_max=${n(docMax)}`,
        `p95_dashboard_ms=${n(p95.dashboard)}`,
        `p95_segment_ms=${n(p95.segment)}`,
        `p95_segment_sorted_ms=${n(p95.segment_sorted)}`,
        `p95_segment_search_ms=${n(p95.segment_search)}`,
        `p95_segment_deep_ms=${n(p95.segment_deep)}`,
        `p95_segment_big_ms=${n(p95.segment_big)}`,
        `p95_behaviour_ms=${n(p95.behaviour)}`,
        `p95_customer_ms=${n(p95.customer)}`,
        `p95_settings_ms=${n(p95.settings)}`,
        `p95_insights_ms=${n(p95.insights)}`,
        `p95_personas_ms=${n(p95.personas)}`,
        `p95_forecast_ms=${n(p95.forecast)}`,
        `p95_dashboard_doc_ms=${n(results.find((r) => r.page.key === "dashboard")?.doc.p95)}`,
        `over_300ms=${over.length === 0 ? "none" : over.join(",")}`,
        `lcp_ms_max=${n(Math.max(...vitals.pages.map((v) => v.lcpMs)))}`,
        `cls_max=${Math.max(...vitals.pages.map((v) => v.cls)).toFixed(3)}`,
        `inp_ms_max=${n(Math.max(...vitals.pages.map((v) => v.inpMs)))}`,
        `lcp_cold_ms=${n(vitals.coldLcpMs)}`,
        ...vitals.pages.flatMap((v) => [
          `lcp_${v.key}_ms=${n(v.lcpMs)}`,
          `cls_${v.key}=${v.cls.toFixed(3)}`,
          `inp_${v.key}_ms=${n(v.inpMs)}`,
        ]),
        `vitals_over_budget=${
          vitals.pages.some(overVitals)
            ? vitals.pages
                .filter(overVitals)
                .map((v) => v.key)
                .join(",")
            : "none"
        }`,
        `errors=0`,
      ].join(" "),
    );
  } catch (error) {
    if (error instanceof RequestFailed && stack)
      process.stderr.write(`app output (tail):\n${stack.output().slice(-4000)}\n`);
    throw error;
  } finally {
    await client.end();
    await stack?.stop();
    await db0.stop();
  }
}

function expectCustomers(min: number, max = min): (data: Record<string, unknown>) => string | null {
  return (data) => {
    const n = (data.customers as unknown[] | undefined)?.length ?? 0;
    return n >= min && n <= max
      ? null
      : `expected ${min === max ? min : `${min}–${max}`} customers on the page, got ${n}`;
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
