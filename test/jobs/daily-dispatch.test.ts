import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgBoss } from "pg-boss";
import { createDb } from "../../app/platform/db.server";
import { createBoss, JOB, sendShopJob, shopJobPending, type ShopJobData } from "../../app/pipeline/jobs.server";
import { shopsDueForDailyRun } from "../../app/pipeline/score/scoring-schedule.server";
import { waitFor } from "../support/wait";

/**
 * The daily sweep against the real queue: a full run that waits or still runs (its ScoringRun row is not
 * committed yet) keeps the shop off the due list, so a slow run is never followed by a second one the same day.
 */

const SHOP = "slow-run.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
let boss: PgBoss;
const pending = (shop: string) => shopJobPending(boss, JOB.rfmScore, shop);

beforeAll(async () => {
  boss = await createBoss(process.env.DATABASE_URL as string, 4);
  await db.shop.create({
    data: { shop: SHOP, ianaTimezone: "UTC", ordersSyncedAt: new Date("2026-11-01T00:00:00Z") },
  });
}, 60_000);

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await db.$disconnect();
});

describe("daily run sweep", () => {
  it("GIVEN a full run queued, then running past the next sweep THEN the shop is not due again until it ended", async () => {
    const now = new Date("2026-11-22T10:30:00Z");
    expect(await shopsDueForDailyRun(db, now, pending)).toEqual([SHOP]);

    // Queued, no worker yet.
    expect(await sendShopJob(boss, JOB.rfmScore, SHOP)).not.toBeNull();
    expect(await shopsDueForDailyRun(db, now, pending)).toEqual([]);

    // Running: "stately" would accept one more queued job of the shop, so only the check stops a second run.
    let started = false;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await boss.work<ShopJobData>(JOB.rfmScore, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (!job) return;
      started = true;
      await held;
    });
    await waitFor("the run to start", async () => started, 20_000, 50);
    expect(await shopsDueForDailyRun(db, now, pending)).toEqual([]);

    // Ended without recording a run (this handler scores nothing): due again, the queue no longer holds one.
    release();
    await waitFor("the run to end", async () => !(await pending(SHOP)), 20_000, 100);
    expect(await shopsDueForDailyRun(db, now, pending)).toEqual([SHOP]);
  }, 90_000);
});
