// The inbox applier alone: pre-fills one shop's inbox with realistic events (full order payloads with line items,
// discount codes and refunds, order updates, refunds/create, customer updates, some merges) and drains it.
// Last line: RESULT apply_events_per_s=… events=… drain_s=… batches=…
// Env: BENCH_EVENTS (100000), BENCH_BATCH (500), DATABASE_URL (unset: embedded PGlite).
import { readFileSync } from "node:fs";
import os from "node:os";
import pg from "pg";
import { createDb } from "../../app/platform/db.server";
import { drainInbox } from "../../app/pipeline/ingest/inbox/inbox-applier.server";
import { ShopDataset, type GeneratedOrder } from "../emulator/generator";
import { customerPayload, orderPayload, refundPayload } from "../emulator/shapes";
import { Random } from "../emulator/random";
import { benchDatabase } from "./bench-database";

const SHOP = "bench-apply.myshopify.com";
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const WARM_UP = 10_000;

interface Event {
  topic: string;
  body: string;
  customerId: number | null;
  orderId: number | null;
}

/** The event stream of a busy day: mostly new orders, with the updates, refunds and profile changes they bring. */
export function realisticEvents(count: number, seed = 7): Event[] {
  const rng = new Random(seed);
  const data = new ShopDataset({
    seed,
    customers: Math.max(100, Math.round(count / 4)),
    orders: count,
    from: "2026-01-01",
    to: "2026-11-20",
    currency: "EUR",
  });
  const events: Event[] = [];
  const push = (topic: string, payload: unknown, customerId: number | null, orderId: number | null) =>
    events.push({ topic, body: JSON.stringify(payload), customerId, orderId });
  const opened = (o: GeneratedOrder): GeneratedOrder => ({
    ...o,
    cancelledAt: null,
    refunds: [],
    totalRefundedCents: 0,
    currentTotalCents: o.totalCents,
    updatedAt: o.createdAt,
  });
  let merges = 0;
  // In time order, as a shop receives them.
  const orders = [...data.orders()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const o of orders) {
    if (events.length >= count) break;
    const c = o.customerId === null ? undefined : data.customer(data.customerIndex(o.customerId) as number);
    push("orders/create", orderPayload(opened(o), c), o.customerId, o.id);
    if (o.cancelledAt) push("orders/cancelled", orderPayload(o, c), o.customerId, o.id);
    else if (o.refunds.length > 0) push("orders/updated", orderPayload(o, c), o.customerId, o.id);
    for (const r of o.refunds) push("refunds/create", refundPayload(o, r), null, o.id);
    if (c && rng.chance(0.15)) push("customers/update", customerPayload(c, o.updatedAt, c.tags), c.id, null);
    if (o.customerId !== null && rng.chance(0.002) && merges < 200) {
      merges++;
      const kept = data.customerId(rng.int(0, data.buyers - 1));
      if (kept !== o.customerId)
        push(
          "customers/merge",
          {
            admin_graphql_api_customer_kept_id: `gid://shopify/Customer/${kept}`,
            admin_graphql_api_customer_deleted_id: `gid://shopify/Customer/${o.customerId}`,
            status: "completed",
          },
          o.customerId,
          null,
        );
    }
  }
  return events.slice(0, count);
}

/** Writes the events into the shop's inbox in arrival order (multi-row inserts, as the receive path batches them). */
export async function prefillInbox(url: string, shop: string, events: Event[], prefix = "bench"): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < events.length; i += 2000) {
      const chunk = events.slice(i, i + 2000);
      await client.query(
        `INSERT INTO "WebhookInbox" (shop, "webhookId", topic, headers, body, "customerId", "orderId")
         SELECT $1, w, t, '{}'::jsonb, b, c, o FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS x(w, t, b, c, o)`,
        [
          shop,
          chunk.map((_, k) => `${prefix}-${i + k}`),
          chunk.map((e) => e.topic),
          chunk.map((e) => e.body),
          chunk.map((e) => e.customerId),
          chunk.map((e) => e.orderId),
        ],
      );
    }
  } finally {
    await client.end();
  }
}

/** The PostgreSQL backends serving this database (a local server: their CPU time is in /proc). */
async function backendPids(db: ReturnType<typeof createDb>): Promise<number[]> {
  // Every pooled connection open first, so the drain's backends are all counted.
  await Promise.all(Array.from({ length: 4 }, () => db.$queryRawUnsafe("SELECT 1 AS one FROM pg_sleep(0.05)")));
  const rows = await db.$queryRawUnsafe<{ pid: number }[]>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
  );
  return rows.map((r) => r.pid);
}

function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    } catch {
      // Not local (or gone): not counted.
    }
  }
  return ticks * 10;
}

async function main() {
  const database = await benchDatabase("rfm_bench_inbox_apply");
  const db = createDb(database.url, 4);
  try {
    await db.shop.create({ data: { shop: SHOP, ianaTimezone: "Europe/Amsterdam" } });
    // A shop with some history and planner statistics (as autovacuum keeps them), and a warm process.
    const events = realisticEvents(EVENTS + WARM_UP);
    await prefillInbox(database.url, SHOP, events.slice(0, WARM_UP), "warm");
    await drainInbox(db, { batchSize: BATCH });
    await db.$executeRawUnsafe(`ANALYZE`);
    const measured = events.slice(WARM_UP);
    const bytes = measured.reduce((sum, e) => sum + e.body.length, 0);
    process.stdout.write(`prefilling ${measured.length} events (${Math.round(bytes / 1e6)} MB of payloads)\n`);
    await prefillInbox(database.url, SHOP, measured, "bench");
    await db.$executeRawUnsafe(`ANALYZE "WebhookInbox"`);
    const backends = await backendPids(db);
    const pgBefore = cpuMsOf(backends);
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    const drained = await drainInbox(db, { batchSize: BATCH });
    const seconds = (performance.now() - started) / 1000;
    // CPU per event on each side: on a shared machine the wall clock says more about the neighbours than about us.
    const node = process.cpuUsage(nodeBefore);
    const nodeMs = (node.user + node.system) / 1000;
    const pgMs = cpuMsOf(backends) - pgBefore;
    process.stdout.write(
      `cpu per 1000 events: applier ${Math.round((nodeMs / drained.events) * 1000)} ms, PostgreSQL ${Math.round((pgMs / drained.events) * 1000)} ms (load average ${os.loadavg()[0]?.toFixed(1)})\n`,
    );
    const left = await db.webhookInbox.count({ where: { shop: SHOP, appliedAt: null } });
    if (left > 0) throw new Error(`${left} events not applied`);
    process.stdout.write(
      `RESULT apply_events_per_s=${Math.round(drained.events / seconds)} events=${drained.events} drain_s=${seconds.toFixed(2)} batches=${drained.batches}\n`,
    );
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
