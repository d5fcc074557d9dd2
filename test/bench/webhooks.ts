// npm run bench:webhooks -- [--prefill 100000] [--connections 32] [--combined-seconds 20] [--e2e-seconds 60] [--e2e-only]
//   [--e2e-rate 100] [--bulk-latency-ms 10000] [--worker-log FILE]
// The live path on the production build, on PostgreSQL (DATABASE_URL): the web process receives (WORKER_MODE=off),
// a separate `npm run worker` applies, so each can be measured alone.
//   1. receive: `--prefill` distinct, correctly signed, realistic deliveries (full order payloads with line items,
//      discount codes and refunds; updates, refunds, customers, some merges) with the applier stopped;
//   2. apply: a WORKER_ROLE=inbox worker (the applier alone) drains that pre-filled inbox (events/s from the batches);
//   3. combined: load and worker together; backlog drained after the load stops; another shop's single event;
//   4. end to end: `--e2e-rate` orders/s for `--e2e-seconds` on a Plus shop, about a fifth of them for customers
//      whose segment an order moves, bulk mutations delayed by `--bulk-latency-ms`: delivery → new tag, the app's
//      part (until its tag write reaches Shopify) and the emulated Shopify part (until the tag is applied).
// "Lost": requests answered 200 whose effect (the order row) is missing after draining. Last line: RESULT key=value …
import { createHmac, randomUUID } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { benchDatabase } from "./bench-database";
import { DEMO_APP, DEMO_SHOP, spawnAppProcess, startDemoStack, type DemoStack } from "../demo/stack";
import { customerPayload, orderPayload, refundPayload } from "../emulator/shapes";
import { Random } from "../emulator/random";
import { openApp } from "../support/merchant";
import { waitFor } from "../support/wait";
import type { GeneratedOrder } from "../emulator/generator";

const { values } = parseArgs({
  options: {
    prefill: { type: "string", default: "100000" },
    connections: { type: "string", default: "32" },
    "combined-seconds": { type: "string", default: "20" },
    "e2e-seconds": { type: "string", default: "60" },
    "e2e-rate": { type: "string", default: "100" },
    "bulk-latency-ms": { type: "string", default: "10000" },
    "e2e-only": { type: "boolean", default: false },
    "worker-log": { type: "string" },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const OTHER_SHOP = "bench-other.myshopify.com";

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function signed(topic: string, body: string, shop = DEMO_SHOP): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-hmac-sha256": createHmac("sha256", DEMO_APP.secret).update(body).digest("base64"),
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-event-id": randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
  };
}

interface Delivery {
  topic: string;
  body: string;
  /** The order this delivery creates (orders/create), for the lost check. */
  createsOrder?: number;
}

/** A realistic stream: mostly new orders, with updates carrying refunds, refunds, customer updates, a few merges. */
function streamFactory(stack: DemoStack, seed: number, idBase: number) {
  const shop = stack.emulator.shop(DEMO_SHOP);
  const templates = [...shop.orders()].filter((o) => o.customerId !== null).slice(0, 500);
  const customers = Array.from({ length: shop.dataset.spec.customers }, (_, i) => shop.dataset.customer(i));
  const rng = new Random(seed);
  let n = 0;
  const created: GeneratedOrder[] = [];
  return (): Delivery => {
    const k = n++;
    const roll = rng.int(0, 99);
    const now = new Date();
    const customer = customers[rng.int(0, customers.length - 1)];
    if (!customer) throw new Error("no customer");
    if (roll < 8 && created.length > 0) {
      const o = created[rng.int(0, created.length - 1)] as GeneratedOrder;
      const refunded: GeneratedOrder = {
        ...o,
        updatedAt: now,
        refunds: [{ id: 910_000_000_000 + k, createdAt: now, amountCents: Math.round(o.totalCents / 4) }],
        totalRefundedCents: Math.round(o.totalCents / 4),
        currentTotalCents: o.totalCents - Math.round(o.totalCents / 4),
      };
      return { topic: "orders/updated", body: JSON.stringify(orderPayload(refunded)) };
    }
    if (roll < 11 && created.length > 0) {
      const o = created[rng.int(0, created.length - 1)] as GeneratedOrder;
      const refund = { id: 920_000_000_000 + k, createdAt: now, amountCents: 500 };
      return { topic: "refunds/create", body: JSON.stringify(refundPayload(o, refund)) };
    }
    if (roll < 17) {
      return { topic: "customers/update", body: JSON.stringify(customerPayload(customer, now, customer.tags)) };
    }
    if (roll < 18) {
      const kept = customers[rng.int(0, customers.length - 1)];
      if (kept && kept.id !== customer.id)
        return {
          topic: "customers/merge",
          body: JSON.stringify({
            admin_graphql_api_customer_kept_id: `gid://shopify/Customer/${kept.id}`,
            admin_graphql_api_customer_deleted_id: `gid://shopify/Customer/${customer.id}`,
            admin_graphql_api_job_id: null,
            status: "completed",
          }),
        };
    }
    const template = templates[k % templates.length] as GeneratedOrder;
    const order: GeneratedOrder = {
      ...template,
      id: idBase + k,
      name: `#B${idBase + k}`,
      customerId: customer.id,
      createdAt: now,
      processedAt: now,
      updatedAt: now,
      cancelledAt: null,
      refunds: [],
      totalRefundedCents: 0,
      currentTotalCents: template.totalCents,
    };
    if (created.length < 5_000) created.push(order);
    else created[k % 5_000] = order;
    return { topic: "orders/create", body: JSON.stringify(orderPayload(order, customer)), createsOrder: order.id };
  };
}

function request(req: autocannon.Request, d: Delivery) {
  return { ...req, path: `/webhooks/${d.topic}`, body: d.body, headers: signed(d.topic, d.body) };
}

/** `npm run worker` on the bench database, its Shopify traffic routed to the emulator as the web process's is. */
async function startWorker(
  stack: DemoStack,
  databaseUrl: string,
  role: "all" | "inbox" = "all",
  logLevel = values["worker-log"] ? "info" : "warn",
): Promise<ChildProcess> {
  const child = spawnAppProcess("app/platform/server/worker-main.server.ts", {
    ...stack.appEnv,
    LOG_LEVEL: logLevel,
    DATABASE_URL: databaseUrl,
    WORKER_ROLE: role,
  });
  let output = "";
  const log = values["worker-log"] ? createWriteStream(values["worker-log"], { flags: "a" }) : null;
  const keep = (c: Buffer) => {
    log?.write(c);
    if (output.length < 1_000_000) output += c.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  await waitFor("the worker to start", async () => output.includes("WORKER READY") || child.exitCode !== null, 60_000);
  if (child.exitCode !== null) throw new Error(`worker exited:\n${output}`);
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function main() {
  if (!process.env.DATABASE_URL)
    throw new Error("bench:webhooks runs on PostgreSQL (DATABASE_URL): the worker runs as its own process");
  const prefill = Number(values.prefill);
  const connections = Number(values.connections);
  const db = await benchDatabase("rfm_bench_webhooks");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await client.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);
  const pending = () =>
    count(`SELECT count(*) AS n FROM "WebhookInbox" WHERE "appliedAt" IS NULL AND "deadAt" IS NULL`);

  say("setting up: production build, Plus shop (2 000 customers, 6 000 orders), install and backfill");
  const stack = await startDemoStack({
    databaseUrl: db.url,
    mode: "production",
    plan: "plus",
    dataset: { customers: 2_000, orders: 6_000 },
    env: { WORKER_MODE: "off", DATABASE_POOL_MAX: "20" },
  });
  let worker = await startWorker(stack, db.url);
  try {
    if ((await openApp(stack)).status !== 200) throw new Error("install failed");
    await waitFor(
      "the backfill",
      async () => (await count(`SELECT count(*) AS n FROM "SyncRun" WHERE status = 'completed'`)) > 0,
      180_000,
    );
    await waitFor(
      "the first scoring run",
      async () => (await count(`SELECT count(*) AS n FROM "ScoringRun" WHERE "finishedAt" IS NOT NULL`)) > 0,
      120_000,
    );
    const scored = await count(`SELECT count(*) AS n FROM "CustomerScore"`);
    await waitFor(
      "the tag write-back",
      async () => (await count(`SELECT count(*) AS n FROM "CustomerTagState"`)) >= scored,
      180_000,
    );
    await waitFor("the echoes", async () => (await pending()) === 0, 120_000);
    // The live path is measured from a settled shop: the write-back (tags, then metafields and segments) and the
    // jobs it leads to are done, and the shop's Admin API bucket is full again (the install's write-back of every
    // customer empties it; live changes are not what spent it).
    const settled = async (what: string) => {
      await waitFor(
        what,
        async () =>
          (await count(`SELECT count(*) AS n FROM "WriteBackRun" WHERE "finishedAt" IS NULL`)) === 0 &&
          (await count(
            `SELECT count(*) AS n FROM pgboss.job WHERE name LIKE 'rfm.%' AND name <> 'rfm.daily-dispatch' AND state IN ('created', 'retry', 'active')`,
          )) === 0,
        300_000,
      );
      const bucket = stack.emulator.shop(DEMO_SHOP).bucket;
      await waitFor(
        "the Admin API bucket to refill",
        async () => bucket.currentlyAvailable() >= bucket.maximum,
        60_000,
      );
    };
    await settled("the install's write-back and its follow-ups to finish");
    await client.query(`INSERT INTO "Shop" (shop, "updatedAt") VALUES ($1, now()) ON CONFLICT DO NOTHING`, [
      OTHER_SHOP,
    ]);

    // Warm-up: the server's first requests (JIT, pools, prepared statements).
    const next = streamFactory(stack, 7, 900_000_000_000_000);
    await autocannon({
      url: stack.appUrl,
      connections: 8,
      amount: 2_000,
      requests: [{ method: "POST", setupRequest: (req) => request(req, next()) }],
    });
    await waitFor("the warm-up to be applied", async () => (await pending()) === 0, 120_000);
    await settled("the warm-up's re-scores and write-backs to finish");

    // 4 (run first, on the freshly installed shop): end to end, delivery → new tag.
    const e2e = await endToEnd(
      stack,
      client,
      Number(values["e2e-seconds"]),
      Number(values["e2e-rate"]),
      Number(values["bulk-latency-ms"]),
    );
    say(
      `end to end: ${e2e.sent} orders at ${values["e2e-rate"]}/s, ${e2e.moved} customers' tags changed (${((100 * e2e.moved) / Math.max(1, e2e.customers)).toFixed(0)} % of the customers who ordered); bulk mutation latency ${values["bulk-latency-ms"]} ms; p95 delivery → new tag ${e2e.totalP95.toFixed(2)} s = app ${e2e.appP95.toFixed(2)} s (p95) + Shopify ${e2e.shopifyP95.toFixed(2)} s (p95); app p50 ${e2e.appP50.toFixed(2)} s; Admin API ${Math.round(e2e.pointsPerSecond)} points/s`,
    );
    say(`app's part by send time: ${e2e.timeline.join("; ")}`);

    await waitFor("the end-to-end orders to be applied", async () => (await pending()) === 0, 120_000);
    if (values["e2e-only"]) {
      say(
        `RESULT e2e_app_p95_s=${e2e.appP95.toFixed(2)} e2e_shopify_p95_s=${e2e.shopifyP95.toFixed(2)} e2e_total_p95_s=${e2e.totalP95.toFixed(2)} moved=${e2e.moved} e2e_points_per_s=${Math.round(e2e.pointsPerSecond)} e2e_retries=${e2e.retries}`,
      );
      return;
    }

    // 1. Receive with the applier stopped.
    await stopWorker(worker);
    const accepted = new Set<number>();
    let ordersAccepted = 0;
    const inFlightOrders = new Map<unknown, number>();
    const stream = streamFactory(stack, 11, 901_000_000_000_000);
    const received = await autocannon({
      url: stack.appUrl,
      connections,
      amount: prefill,
      requests: [
        {
          method: "POST",
          setupRequest: (req, context) => {
            const d = stream();
            inFlightOrders.set(context, d.createsOrder ?? 0);
            return request(req, d);
          },
          onResponse: (status, _body, context) => {
            const id = inFlightOrders.get(context) ?? 0;
            if (status === 200 && id > 0) {
              accepted.add(id);
              ordersAccepted++;
            }
          },
        },
      ],
    });
    const receivedPending = await pending();
    say(
      `receive (applier stopped): ${received.requests.total} requests, ${received["2xx"]} answered 200, ${received.non2xx} refused, ${received.errors} errors, ${received.timeouts} timeouts; ${Math.round(received.requests.average)} req/s; latency ms p50 ${received.latency.p50}, p99 ${received.latency.p99}, max ${received.latency.max}; ${receivedPending} events pending`,
    );

    // 2. The applier alone drains the pre-filled inbox.
    const { rows: seqRows } = await client.query<{ s: string }>(`SELECT coalesce(max(id), 0) AS s FROM "InboxBatch"`);
    const lastBatchBefore = seqRows[0]?.s ?? "0";
    const drainStarted = Date.now();
    // The applier alone: a WORKER_ROLE=inbox process (the re-scores its batches queue run after it, in phase 3).
    worker = await startWorker(stack, db.url, "inbox");
    await waitFor("the applier to drain the inbox", async () => (await pending()) === 0, 600_000, 100);
    const drainWall = (Date.now() - drainStarted) / 1000;
    await stopWorker(worker);
    worker = await startWorker(stack, db.url);
    const { rows: rate } = await client.query<{ events: string; seconds: string }>(
      `SELECT sum(events) AS events, extract(epoch FROM max("committedAt") - min("startedAt")) AS seconds
       FROM "InboxBatch" WHERE id > $1`,
      [lastBatchBefore],
    );
    const appliedEvents = Number(rate[0]?.events ?? 0);
    const applySeconds = Number(rate[0]?.seconds ?? 0);
    const applyRate = applySeconds > 0 ? Math.round(appliedEvents / applySeconds) : 0;
    const storedOrders = await count(`SELECT count(*) AS n FROM "Order" WHERE shop = $1 AND id = ANY($2::bigint[])`, [
      DEMO_SHOP,
      [...accepted].map(String),
    ]);
    const lost = ordersAccepted - storedOrders;
    say(
      `apply (applier alone, WORKER_ROLE=inbox): ${appliedEvents} events in ${applySeconds.toFixed(2)} s of batches (${drainWall.toFixed(1)} s wall incl. worker start) = ${applyRate} events/s; ${storedOrders} of ${ordersAccepted} accepted new orders stored, ${lost} lost`,
    );

    // 3. Combined: load and the applier together; then how long the backlog takes; another shop's single event.
    const combinedStream = streamFactory(stack, 13, 902_000_000_000_000);
    const combinedSeconds = Number(values["combined-seconds"]);
    let fairness = -1;
    const fairnessProbe = setTimeout(
      () => {
        void (async () => {
          const body = JSON.stringify(
            customerPayload(stack.emulator.shop(DEMO_SHOP).dataset.customer(1), new Date(), []),
          );
          const headers = signed("customers/update", body, OTHER_SHOP);
          const sent = Date.now();
          await fetch(`${stack.appUrl}/webhooks/customers/update`, { method: "POST", body, headers });
          await waitFor(
            "the other shop's event",
            async () =>
              (await count(`SELECT count(*) AS n FROM "WebhookInbox" WHERE shop = $1 AND "appliedAt" IS NOT NULL`, [
                OTHER_SHOP,
              ])) > 0,
            60_000,
            20,
          );
          fairness = (Date.now() - sent) / 1000;
        })();
      },
      (combinedSeconds * 1000) / 2,
    );
    const combined = await autocannon({
      url: stack.appUrl,
      connections: Math.max(4, Math.floor(connections / 4)),
      duration: combinedSeconds,
      requests: [{ method: "POST", setupRequest: (req) => request(req, combinedStream()) }],
    });
    const loadEnded = Date.now();
    const backlog = await pending();
    await waitFor("the backlog to drain", async () => (await pending()) === 0, 300_000, 50);
    const drainSeconds = (Date.now() - loadEnded) / 1000;
    clearTimeout(fairnessProbe);
    await waitFor("the fairness probe", async () => fairness >= 0, 60_000);
    say(
      `combined: ${Math.round(combined.requests.average)} req/s for ${combinedSeconds} s (p99 ${combined.latency.p99} ms), ${backlog} pending when the load stopped, drained in ${drainSeconds.toFixed(2)} s; another shop's single event applied ${fairness.toFixed(2)} s after it was sent`,
    );

    say(
      `RESULT requests_per_s=${Math.round(received.requests.average)} p50_ms=${received.latency.p50} p99_ms=${received.latency.p99} accepted=${received["2xx"]} applied=${appliedEvents} lost=${lost} errors=${received.errors + received.timeouts + received.non2xx} apply_events_per_s=${applyRate} drain_s=${drainSeconds.toFixed(2)} fairness_s=${fairness.toFixed(2)} e2e_app_p95_s=${e2e.appP95.toFixed(2)} e2e_shopify_p95_s=${e2e.shopifyP95.toFixed(2)} e2e_moved=${e2e.moved} e2e_retries=${e2e.retries}`,
    );
  } finally {
    await stopWorker(worker);
    await client.end();
    await stack.stop();
    await db.stop();
  }
}

/**
 * `rate` new orders per second for `seconds`: a fifth for customers whose segment an order moves (At risk, Can't
 * lose, About to sleep, Hibernating: a fresh order changes their recency), the rest for Champions with R = 5 (it
 * does not). The pools are smaller than the phase's order count, so a customer orders several times; the clock of
 * their tag change starts at their first order of the phase, and its timing comes from the emulator.
 */
async function endToEnd(stack: DemoStack, client: pg.Client, seconds: number, rate: number, bulkLatencyMs: number) {
  const shop = stack.emulator.shop(DEMO_SHOP);
  shop.bulkMutationLatencyMs = bulkLatencyMs;
  const bySegment = async (segments: string[], minR = 1) =>
    (
      await client.query<{ id: string }>(
        `SELECT "customerId"::text AS id FROM "CustomerScore" WHERE shop = $1 AND segment = ANY($2) AND r >= $3 ORDER BY "customerId"`,
        [DEMO_SHOP, segments, minR],
      )
    ).rows.map((r) => Number(r.id));
  const movers = await bySegment(["at_risk", "cant_lose", "about_to_sleep", "hibernating", "lost"]);
  // Champions who bought recently: another order keeps them where they are (a Loyal customer's fresh order
  // often makes them a Champion, which would be a move).
  const stayers = await bySegment(["champions"], 5);
  // A plain order (no discount code, no refund): it moves a customer's RFM scores, not their coupon or refund
  // behaviours, so stayers stay.
  const template = [...shop.orders()].find(
    (o) => o.customerId !== null && o.discountCodes.length === 0 && o.refunds.length === 0 && !o.cancelledAt,
  ) as GeneratedOrder;
  const total = seconds * rate;
  const sentAt = new Map<number, number>();
  let sent = 0;
  let orders = 0;
  const started = Date.now();
  const tagWritesBefore = shop.tagWrites.length;
  const logBefore = stack.emulator.log.length;
  // As Shopify does, a delivery that fails (connection reset, a non-200) is sent again after a pause.
  let retries = 0;
  const deliver = async (body: string, attempt = 1): Promise<void> => {
    const ok = await fetch(`${stack.appUrl}/webhooks/orders/create`, {
      method: "POST",
      body,
      headers: signed("orders/create", body),
    }).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status === 200;
      },
      () => false,
    );
    if (ok) return;
    if (attempt >= 5) throw new Error(`an end-to-end delivery failed ${attempt} times`);
    retries++;
    await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
    await deliver(body, attempt + 1);
  };
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        const pool = sent % 5 === 0 ? movers : stayers;
        const customerId = pool[Math.floor(sent / 5) % Math.max(1, pool.length)];
        if (customerId === undefined) continue;
        const now = new Date();
        const order: GeneratedOrder = {
          ...template,
          id: 903_000_000_000_000 + sent,
          name: `#E${sent}`,
          customerId,
          createdAt: now,
          processedAt: now,
          updatedAt: now,
        };
        const body = JSON.stringify(orderPayload(order));
        // A customer's first order of this phase starts their clock; later ones ride on it.
        if (!sentAt.has(customerId)) sentAt.set(customerId, Date.now());
        orders++;
        void deliver(body);
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  // Until every tag change the orders caused has reached the emulated shop (or a minute of quiet).
  let seen = -1;
  await waitFor(
    "the tag writes to settle",
    async () => {
      const now = shop.tagWrites.length;
      const settled = now === seen;
      seen = now;
      return settled;
    },
    180_000,
    Math.max(5_000, bulkLatencyMs + 5_000),
  );
  const phaseSeconds = (Date.now() - started) / 1000;
  // The shop's Admin API budget the phase used (Plus: 1 000 points/s): the live path's ceiling.
  const points = stack.emulator.log
    .slice(logBefore)
    .filter((l) => l.shop === DEMO_SHOP && !l.throttled)
    .reduce((sum, l) => sum + l.requestedCost, 0);
  const first = new Map<number, { requestedAt: number; appliedAt: number }>();
  for (const w of shop.tagWrites.slice(tagWritesBefore)) {
    if (!sentAt.has(w.customerId) || first.has(w.customerId)) continue;
    first.set(w.customerId, w);
  }
  const app: number[] = [];
  const shopify: number[] = [];
  const totals: number[] = [];
  for (const [customerId, w] of first) {
    const t0 = sentAt.get(customerId) ?? w.requestedAt;
    app.push((w.requestedAt - t0) / 1000);
    shopify.push((w.appliedAt - w.requestedAt) / 1000);
    totals.push((w.appliedAt - t0) / 1000);
  }
  const sort = (a: number[]) => a.sort((x, y) => x - y);
  // The app's part by when the customer's order was sent, 10 s at a time: a backlog shows as a rising row.
  const bySendTime = new Map<number, number[]>();
  for (const [customerId, w] of first) {
    const t0 = sentAt.get(customerId) ?? w.requestedAt;
    const slot = Math.floor((t0 - started) / 10_000);
    bySendTime.set(slot, [...(bySendTime.get(slot) ?? []), (w.requestedAt - t0) / 1000]);
  }
  const timeline = [...bySendTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([slot, v]) => `${slot * 10}–${slot * 10 + 10} s: ${v.length} p95 ${percentile(sort(v), 95).toFixed(1)} s`);
  return {
    timeline,
    appP50: percentile(sort(app), 50),
    sent: orders,
    customers: sentAt.size,
    moved: first.size,
    retries,
    appP95: percentile(sort(app), 95),
    shopifyP95: percentile(sort(shopify), 95),
    totalP95: percentile(sort(totals), 95),
    pointsPerSecond: points / phaseSeconds,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
