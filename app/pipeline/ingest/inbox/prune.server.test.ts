import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../../platform/db.server";
import { InvalidEnvironmentError, parseEnv } from "../../../platform/env.server";
import { renderMetrics } from "../../../platform/server/metrics.server";
import { parsePrometheus } from "../../../../test/support/prometheus";
import { pruneInbox } from "./prune.server";

const db = createDb(process.env.DATABASE_URL as string, 2);
const logger = pino({ level: "silent" });
afterAll(() => db.$disconnect());

const HOUR = 3_600_000;
// The real clock: other files share the database, and their fresh rows must stay inside the retention.
const NOW = new Date();
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * HOUR);

type State = "applied" | "pending" | "dead";
let n = 0;
async function events(shop: string, state: State, receivedHoursAgo: number, count = 1) {
  await db.webhookInbox.createMany({
    data: Array.from({ length: count }, () => {
      n += 1;
      return {
        shop,
        webhookId: `prune-${n}`,
        topic: "orders/updated",
        headers: {},
        body: `{"id":${n}}`,
        receivedAt: hoursAgo(receivedHoursAgo),
        ...(state === "applied" ? { appliedAt: hoursAgo(receivedHoursAgo) } : {}),
        ...(state === "dead" ? { attempts: 3, lastError: "boom", deadAt: hoursAgo(receivedHoursAgo) } : {}),
      };
    }),
  });
}

async function remaining(shop: string) {
  const rows = await db.webhookInbox.findMany({ where: { shop }, orderBy: { seq: "asc" } });
  return rows.map(
    (r) =>
      `${r.appliedAt ? "applied" : r.deadAt ? "dead" : "pending"}@${(NOW.getTime() - r.receivedAt.getTime()) / HOUR}h`,
  );
}

async function appliedTotal(shop: string) {
  const metrics = parsePrometheus(await renderMetrics({ db, deadLetters: async () => [], now: () => NOW }));
  return metrics.samples.find((s) => s.name === "rfm_inbox_applied_events_total" && s.labels.shop === shop)?.value;
}

describe("inbox prune", () => {
  it("GIVEN applied, pending and dead events older and newer than the retention WHEN pruned in small steps THEN only the old applied ones go, in every shop", async () => {
    const shop = "prune-a.myshopify.com";
    const other = "prune-b.myshopify.com";
    // In arrival order: old applied, an old dead letter and an old pending event among them, then recent ones.
    await events(shop, "applied", 9, 5);
    await events(shop, "dead", 8.5);
    await events(shop, "applied", 8, 4);
    await events(shop, "pending", 7);
    await events(shop, "applied", 6.5, 3);
    await events(shop, "applied", 5, 2);
    await events(shop, "pending", 0.1);
    await events(other, "applied", 10, 2);
    await events(other, "applied", 1);

    // Steps of 3 rows: the walk crosses pages, dead letters and pending events on the way.
    const outcome = await pruneInbox({ db, logger }, 6, NOW, 3);

    // Other files' shops may hold old applied rows too; these two shops are checked row by row below.
    expect(outcome.events).toBeGreaterThanOrEqual(5 + 4 + 3 + 2);
    expect(await remaining(shop)).toEqual(["dead@8.5h", "pending@7h", "applied@5h", "applied@5h", "pending@0.1h"]);
    expect(await remaining(other)).toEqual(["applied@1h"]);
  });

  it("GIVEN InboxBatch rows older and newer than the retention WHEN pruned THEN the old ones go and the applied-events total in /metrics stays the same", async () => {
    const shop = "prune-batches.myshopify.com";
    const batch = (events: number, committedHoursAgo: number) => ({
      shop,
      worker: "test:1",
      events,
      firstSeq: 1n,
      lastSeq: 2n,
      startedAt: hoursAgo(committedHoursAgo),
      committedAt: hoursAgo(committedHoursAgo),
    });
    await db.inboxShop.create({ data: { shop, servedAt: hoursAgo(1) } });
    await db.inboxBatch.createMany({
      data: [batch(500, 12), batch(500, 11), batch(120, 9), batch(7, 7), batch(40, 2), batch(3, 1)],
    });
    expect(await appliedTotal(shop)).toBe(1170);

    const outcome = await pruneInbox({ db, logger }, 6, NOW, 2);

    expect(outcome.batches).toBeGreaterThanOrEqual(4);
    const left = await db.inboxBatch.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { events: true } });
    expect(left.map((b) => b.events)).toEqual([40, 3]);
    expect(await appliedTotal(shop)).toBe(1170);
    expect((await db.inboxShop.findUniqueOrThrow({ where: { shop } })).prunedEvents).toBe(1127n);
    // A second prune finds nothing more and counts nothing twice.
    await pruneInbox({ db, logger }, 6, NOW, 2);
    expect(await appliedTotal(shop)).toBe(1170);
  });

  it("GIVEN a retention below Shopify's 4 h retry window plus a margin THEN the environment is refused; unset THEN 6 h", () => {
    const base = {
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://rfm.example.com",
      SCOPES: "read_orders",
      DATABASE_URL: "postgresql://u@127.0.0.1:5432/app",
    };
    expect(() => parseEnv({ ...base, WEBHOOK_INBOX_RETENTION_HOURS: "4" })).toThrow(InvalidEnvironmentError);
    expect(parseEnv({ ...base, WEBHOOK_INBOX_RETENTION_HOURS: "5" }).WEBHOOK_INBOX_RETENTION_HOURS).toBe(5);
    expect(parseEnv(base).WEBHOOK_INBOX_RETENTION_HOURS).toBe(6);
  });
});
