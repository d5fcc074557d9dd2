import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgBoss } from "pg-boss";
import { createBoss, JOB, sendShopJob, type ShopJobData } from "../../app/pipeline/jobs.server";
import { waitFor } from "../support/wait";

/**
 * Per-shop limits in the queue (the queues as createBoss makes them, jobs as sendShopJob sends them): a shop's
 * long backfill step holds one of the sync worker's slots at most, never the write-back or scoring ones.
 */

const BUSY = "big-backfill.myshopify.com";
const OTHER = "small-shop.myshopify.com";
let boss: PgBoss;

beforeAll(async () => {
  boss = await createBoss(process.env.DATABASE_URL as string, 4);
}, 60_000);

afterAll(async () => {
  await boss?.stop({ graceful: false });
});

describe("job queue: per-shop limits", () => {
  it("GIVEN one shop's backfill step running long THEN that shop gets one sync slot and one queued step, and other shops' sync, write-back and scoring jobs run meanwhile", async () => {
    const events: string[] = [];
    let active = 0;
    let busyActive = 0;
    let busyPeak = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const options = { localConcurrency: 2, pollingIntervalSeconds: 0.5 };
    await boss.work<ShopJobData & { runId: string }>(JOB.ordersSyncAdvance, options, async ([job]) => {
      if (!job) return;
      const { shop, runId } = job.data;
      active++;
      if (shop === BUSY) busyPeak = Math.max(busyPeak, ++busyActive);
      events.push(`start ${shop} ${runId}`);
      if (runId === "long") await held;
      events.push(`end ${shop} ${runId}`);
      if (shop === BUSY) busyActive--;
      active--;
    });
    for (const name of [JOB.rfmWriteBack, JOB.rfmScore])
      await boss.work<ShopJobData>(name, options, async ([job]) => {
        if (job) events.push(`${name} ${job.data.shop}`);
      });

    expect(await sendShopJob(boss, JOB.ordersSyncAdvance, BUSY, { runId: "long" })).not.toBeNull();
    await waitFor("the long step to start", async () => events.includes(`start ${BUSY} long`), 20_000, 50);
    // While it runs: one more step of the same shop waits in the queue; a third is refused (stately, key = shop).
    expect(await sendShopJob(boss, JOB.ordersSyncAdvance, BUSY, { runId: "next" })).not.toBeNull();
    expect(await sendShopJob(boss, JOB.ordersSyncAdvance, BUSY, { runId: "third" })).toBeNull();
    await sendShopJob(boss, JOB.ordersSyncAdvance, OTHER, { runId: "other" });
    await sendShopJob(boss, JOB.rfmWriteBack, OTHER);
    await sendShopJob(boss, JOB.rfmScore, OTHER);
    await sendShopJob(boss, JOB.rfmWriteBack, BUSY);
    await waitFor(
      "the other jobs to run beside the long step",
      async () =>
        [
          `end ${OTHER} other`,
          `${JOB.rfmWriteBack} ${OTHER}`,
          `${JOB.rfmScore} ${OTHER}`,
          `${JOB.rfmWriteBack} ${BUSY}`,
        ].every((e) => events.includes(e)),
      20_000,
      50,
    );
    expect(events).not.toContain(`end ${BUSY} long`);
    expect(events).not.toContain(`start ${BUSY} next`);

    release();
    await waitFor("the queued step to run after", async () => events.includes(`end ${BUSY} next`), 20_000, 50);
    expect(events.indexOf(`start ${BUSY} next`)).toBeGreaterThan(events.indexOf(`end ${BUSY} long`));
    expect(busyPeak).toBe(1);
    expect(events).not.toContain(`start ${BUSY} third`);
    expect(active).toBe(0);
  }, 90_000);
});
