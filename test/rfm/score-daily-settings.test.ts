import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { loadRfmSettings, saveRfmSettings } from "../../app/settings/settings.server";
import { latestRunOf, scoresOf, seedTwinOrders } from "./scoring-rows";

/**
 * A settings edit that cannot change any score (names, preset, run hour, write-back, predictions) leaves the
 * next daily run scoring only what changed; an edit to a scoring rule makes it score everyone — and in both
 * cases the scores equal those of a twin shop that scores everyone.
 */

const db = createDb(process.env.DATABASE_URL as string, 2);
const DAILY = "settings-daily.myshopify.com";
const WHOLE = "settings-whole.myshopify.com";

beforeAll(async () => {
  for (const shop of [DAILY, WHOLE]) {
    await db.shop.create({ data: { shop, ianaTimezone: "Europe/Amsterdam" } });
    await seedTwinOrders(db, shop, 200, 300);
    await recomputeShopAggregates(db, shop);
    await runFullScoring(db, shop, { asOf: "2026-11-20" });
  }
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
});

async function edit(change: (s: Awaited<ReturnType<typeof loadRfmSettings>>) => object) {
  for (const shop of [DAILY, WHOLE]) await saveRfmSettings(db, shop, change(await loadRfmSettings(db, shop)));
}

async function nextDay(asOf: string) {
  await runFullScoring(db, DAILY, { asOf });
  await runFullScoring(db, WHOLE, { asOf, scoreEveryone: true });
  expect(await scoresOf(db, DAILY)).toEqual(await scoresOf(db, WHOLE));
  return (await latestRunOf(db, DAILY)).scope?.kind;
}

describe("settings edits and the daily run's scope", () => {
  it("GIVEN the merchant renames a segment, turns write-back off and changes the discount rate WHEN the next day runs THEN only the changed customers are scored", async () => {
    await edit((s) => ({
      ...s,
      names: { champions: "Kampioenen" },
      preset: "playful",
      dailyRunHour: 6,
      writeBack: { ...s.writeBack, enabled: false, tagPrefix: "seg-" },
      predictions: { annualDiscountRate: 0.2 },
    }));
    expect(await nextDay("2026-11-21")).toBe("changed");
  });

  it("GIVEN the merchant changes a behaviour threshold WHEN the next day runs THEN everyone is scored again", async () => {
    await edit((s) => ({ ...s, behaviours: { ...s.behaviours, highValueInactiveDays: 45 } }));
    expect(await nextDay("2026-11-22")).toBe("all");
  });

  it("GIVEN the merchant changes the stability rule WHEN the next day runs THEN everyone is scored again", async () => {
    await edit((s) => ({ ...s, stabilityRuns: 3 }));
    expect(await nextDay("2026-11-23")).toBe("all");
  });
});
