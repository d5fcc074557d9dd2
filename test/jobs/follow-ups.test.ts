import { describe, expect, it } from "vitest";
import { followUpsOn, JOB } from "../../app/pipeline/jobs.server";

/** The one table of what follows what: each named follow-up sends exactly these jobs, data and delays. */

function recorder() {
  const sent: [string, string, Record<string, unknown>, number | undefined][] = [];
  const next = followUpsOn(async (name, shop, data, startAfterSeconds) => {
    sent.push([name, shop, data, startAfterSeconds]);
    return "job-id";
  });
  return { sent, next };
}

const SHOP = "follow-ups.myshopify.com";

describe("follow-up jobs", () => {
  it("GIVEN a first install WHEN it follows up THEN shop info, the web pixel and the backfill are queued in that order", async () => {
    const { sent, next } = recorder();
    await next.afterInstall(SHOP, { backfillStarted: false });
    expect(sent).toEqual([
      [JOB.syncShopInfo, SHOP, {}, undefined],
      [JOB.pixelEnsure, SHOP, {}, undefined],
      [JOB.ordersSync, SHOP, { kind: "backfill" }, undefined],
    ]);
  });

  it("GIVEN a later login WHEN it follows up THEN no second backfill is queued", async () => {
    const { sent, next } = recorder();
    await next.afterInstall(SHOP, { backfillStarted: true });
    expect(sent.map(([name]) => name)).toEqual([JOB.syncShopInfo, JOB.pixelEnsure]);
  });

  it("GIVEN the sync stages of a shop scored before WHEN they follow up THEN the run is advanced after 2 s, polled after 5 s, woken at once, and scored when complete", async () => {
    const { sent, next } = recorder();
    await next.afterSyncStarted(SHOP, "run-1");
    await next.afterSyncWaiting(SHOP, "run-1");
    await next.afterBulkOperationFinished(SHOP, "run-1");
    await next.afterSyncCompleted(SHOP, { scoredBefore: true });
    expect(sent).toEqual([
      [JOB.ordersSyncAdvance, SHOP, { runId: "run-1" }, 2],
      [JOB.ordersSyncAdvance, SHOP, { runId: "run-1" }, 5],
      [JOB.ordersSyncAdvance, SHOP, { runId: "run-1" }, undefined],
      [JOB.rfmScore, SHOP, {}, undefined],
      [JOB.orderJourneys, SHOP, {}, undefined],
    ]);
  });

  it("GIVEN a backfill completed for a shop never scored WHEN it follows up THEN Shopify's engagement signals are synced first (journeys asked for again beside it) and that sync is followed by the full run", async () => {
    const { sent, next } = recorder();
    await next.afterSyncCompleted(SHOP, { scoredBefore: false });
    await next.afterEngagementSync(SHOP);
    expect(sent).toEqual([
      [JOB.engagementSync, SHOP, {}, undefined],
      [JOB.orderJourneys, SHOP, {}, undefined],
      [JOB.rfmScore, SHOP, {}, undefined],
    ]);
  });

  it("GIVEN scoring outcomes WHEN they follow up THEN write-back and Flow triggers follow only when there is something to send, predictions and insights after every full run, the forecast after every prediction run, write-back after predictions that moved a band", async () => {
    const { sent, next } = recorder();
    await next.afterScoring(SHOP, { flowEvents: 0 });
    await next.afterScoring(SHOP, { flowEvents: 3 });
    await next.afterIncrementalScoring(SHOP, { written: 0, removed: 0, flowEvents: 0 });
    await next.afterIncrementalScoring(SHOP, { written: 0, removed: 1, flowEvents: 0 });
    await next.afterIncrementalScoring(SHOP, { written: 2, removed: 0, flowEvents: 1 });
    await next.afterFlowTriggers(SHOP, { retryable: 0 });
    await next.afterFlowTriggers(SHOP, { retryable: 2 });
    await next.afterPredictions(SHOP, { changed: 0 });
    await next.afterPredictions(SHOP, { changed: 4 });
    expect(sent).toEqual([
      [JOB.rfmWriteBack, SHOP, {}, undefined],
      [JOB.rfmPredict, SHOP, {}, undefined],
      [JOB.rfmInsights, SHOP, {}, undefined],
      [JOB.rfmWriteBack, SHOP, {}, undefined],
      [JOB.rfmPredict, SHOP, {}, undefined],
      [JOB.rfmFlow, SHOP, {}, undefined],
      [JOB.rfmInsights, SHOP, {}, undefined],
      [JOB.rfmWriteBack, SHOP, {}, undefined],
      [JOB.rfmWriteBack, SHOP, {}, undefined],
      [JOB.rfmFlow, SHOP, {}, undefined],
      [JOB.rfmFlow, SHOP, {}, 300],
      [JOB.rfmForecast, SHOP, {}, undefined],
      [JOB.rfmWriteBack, SHOP, {}, undefined],
      [JOB.rfmForecast, SHOP, {}, undefined],
    ]);
  });

  it("GIVEN journeys asked again WHEN some are still not ready THEN they are asked again in an hour, otherwise not", async () => {
    const { sent, next } = recorder();
    await next.afterJourneysRefreshed(SHOP, { pending: 0 });
    await next.afterJourneysRefreshed(SHOP, { pending: 3 });
    expect(sent).toEqual([[JOB.orderJourneys, SHOP, {}, 3600]]);
  });

  it("GIVEN the app's own requests WHEN they follow up THEN each queues its one job (webhook changes: the journeys of new orders a quarter of an hour later too)", async () => {
    const { sent, next } = recorder();
    await next.afterWebhookChanges(SHOP);
    await next.afterSettingsSaved(SHOP);
    await next.requestScoring(SHOP);
    await next.requestSync(SHOP, "reconcile");
    await next.requestWriteBack(SHOP);
    await next.requestPixelVerification(SHOP);
    await next.requestAppDataRemoval(SHOP, 7n);
    expect(sent).toEqual([
      [JOB.rfmRescore, SHOP, {}, undefined],
      [JOB.orderJourneys, SHOP, {}, 900],
      [JOB.rfmScore, SHOP, {}, undefined],
      [JOB.rfmScore, SHOP, {}, undefined],
      [JOB.ordersSync, SHOP, { kind: "reconcile" }, undefined],
      [JOB.rfmWriteBack, SHOP, {}, undefined],
      [JOB.pixelVerify, SHOP, {}, undefined],
      [JOB.rfmRemoveAppData, SHOP, { removalId: "7" }, undefined],
    ]);
  });
});
