import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { storedOrderAdder } from "../support/stored-order";
import { logger } from "../../app/platform/logger.server";
import type { AdminClient } from "../../app/shopify/admin-client.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { writeBackTags } from "../../app/pipeline/write-back/tags.server";
import { sendFlowTriggers } from "../../app/pipeline/write-back/flow-triggers.server";
import { syncShopifySegments } from "../../app/pipeline/write-back/shopify-segments.server";
import { loadShopifyPage } from "../../app/pages/shopify/shopify-page.server";
import type { AdminEmulator } from "../emulator/server";
import { givenScoredShop, type ScoredShop } from "./scored-shop";

/**
 * "Browses often, never bought" as a segment: a full run finds the browsers (≥ 3 pixel visit days in 30, no order),
 * write-back tags them rfm-browsing and takes the tag off once they buy, Flow hears who started browsing, and a
 * shop without Shopify's storefront filters gets the Shopify segment on the tag. Against the emulator over real
 * HTTP, whose only way to change a customer's tags is tagsAdd / tagsRemove (customerUpdate(tags:) is not served).
 */

const SHOP = "browsing-test.myshopify.com";
const TZ = "Europe/Amsterdam";
const DAY_MS = 86_400_000;
const db = createDb(process.env.DATABASE_URL as string, 2);
let given: ScoredShop;
let emulator: AdminEmulator;
let admin: AdminClient;
let ids: bigint[] = [];

let clock = Date.now();
const sleep = async (ms: number) => {
  clock += ms;
};
const deps = () => ({ db, admin, logger, sleep, now: () => clock });
const tagWriteRequests = () => emulator.log.filter((l) => l.shop === SHOP && l.operationName === "AppTagsWriteBack");
const members = async () =>
  (await db.customerBrowsing.findMany({ where: { shop: SHOP }, orderBy: { customerId: "asc" } })).map(
    (b) => b.customerId,
  );
const visits = (customerId: bigint, daysAgo: number[]) =>
  db.customerVisitDay.createMany({
    data: daysAgo.map((d) => ({
      shop: SHOP,
      customerId,
      day: new Date(`${isoDay(Date.now() - d * DAY_MS)}T00:00:00Z`),
    })),
  });
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const addOrder = storedOrderAdder(db, SHOP);

beforeAll(async () => {
  given = await givenScoredShop(db, {
    shop: SHOP,
    plan: "standard",
    customers: 30,
    orders: 40,
    seed: 12,
    scored: 0,
    score: () => {
      throw new Error("no score rows given: the runs score the shop");
    },
    clock: { now: () => clock, sleep },
    ianaTimezone: TZ,
  });
  ({ emulator, admin } = given);
  ids = given.ids;
  // Twenty buyers; customers 20–23 visited on three days lately and never bought; 24 visited on two days only;
  // buyer 0 visited on three days too (a buyer is not a browser).
  for (const [i, id] of ids.slice(0, 20).entries())
    await addOrder(id, new Date(Date.now() - (20 + i * 9) * DAY_MS), 20 + i * 15);
  await recomputeShopAggregates(db, SHOP);
  for (const id of ids.slice(20, 24)) await visits(id, [1, 4, 9]);
  await visits(ids[24] as bigint, [2, 3]);
  await visits(ids[0] as bigint, [1, 2, 3]);
  await db.customerEngagement.createMany({
    data: ids.slice(20, 25).map((customerId) => ({ shop: SHOP, customerId, lastVisitAt: new Date() })),
  });
}, 60_000);

afterAll(async () => {
  await given?.close();
  await db.$disconnect();
});

describe("Browses often, never bought: tag, Shopify segment and Flow", () => {
  it("GIVEN four browsers who never bought WHEN the first full run and write-back run THEN exactly they get rfm-browsing through tagsAdd, merchant tags stay, and no Flow event is recorded", async () => {
    const run = await runFullScoring(db, SHOP);
    expect(run.flowEvents).toBe(0);
    expect(await members()).toEqual(ids.slice(20, 24));
    const requests = tagWriteRequests().length;
    const outcome = await writeBackTags(deps(), SHOP);
    expect(outcome.failures).toEqual([]);
    expect(tagWriteRequests().length).toBeGreaterThan(requests);
    for (const id of ids.slice(20, 24)) expect(given.tagsOf(id)).toContain("rfm-browsing");
    for (const id of [ids[24], ids[0], ...ids.slice(25)] as bigint[])
      expect(given.tagsOf(id)).not.toContain("rfm-browsing");
    expect(
      (
        await db.customerTagState.findUniqueOrThrow({
          where: { shop_customerId: { shop: SHOP, customerId: ids[20] as bigint } },
        })
      ).tags,
    ).toEqual(["rfm-browsing"]);
    given.expectMerchantTagsIntact();
    expect(await db.flowTriggerEvent.count({ where: { shop: SHOP } })).toBe(0);
  }, 60_000);

  it("GIVEN one browser buys and a new one starts browsing WHEN the next full run and write-back run THEN the buyer's rfm-browsing goes through tagsRemove for their segment tag, the newcomer gets it, and Flow receives both moves", async () => {
    const buyer = ids[20] as bigint;
    const newcomer = ids[25] as bigint;
    await addOrder(buyer, new Date(Date.now() - DAY_MS), 75);
    await recomputeShopAggregates(db, SHOP);
    await visits(newcomer, [1, 2, 3]);
    const run = await runFullScoring(db, SHOP);
    expect(await members()).toEqual([...ids.slice(21, 24), newcomer]);
    const score = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: SHOP, customerId: buyer } },
    });
    const events = await db.flowTriggerEvent.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
    expect(run.flowEvents).toBe(events.length);
    expect(events.find((e) => e.customerId === newcomer)).toMatchObject({
      fromSegment: null,
      toSegment: "browsing",
      r: 0,
      f: 0,
      m: 0,
    });
    expect(events.find((e) => e.customerId === buyer)).toMatchObject({
      fromSegment: "browsing",
      toSegment: score.segment,
    });

    const outcome = await writeBackTags(deps(), SHOP);
    expect(outcome.failures).toEqual([]);
    const segmentTag = `rfm-${score.segment.replaceAll("_", "-")}`;
    expect(given.tagsOf(buyer)).toContain(segmentTag);
    expect(given.tagsOf(buyer)).not.toContain("rfm-browsing");
    expect(given.tagsOf(newcomer)).toContain("rfm-browsing");
    given.expectMerchantTagsIntact();

    const sent = await sendFlowTriggers(deps(), SHOP);
    expect(sent).toMatchObject({ sent: events.length, refused: 0 });
    const payloads = emulator.shop(SHOP).flowTriggers.map((t) => t.payload);
    expect(payloads).toContainEqual(
      expect.objectContaining({
        customer_id: Number(newcomer),
        "Previous segment": "",
        "New segment": "browsing",
        "R score": 0,
        "F score": 0,
        "M score": 0,
      }),
    );
    expect(payloads).toContainEqual(
      expect.objectContaining({
        customer_id: Number(buyer),
        "Previous segment": "browsing",
        "New segment": score.segment,
      }),
    );
  }, 60_000);

  it("GIVEN a shop without Shopify's storefront filters but with pixel visits WHEN Shopify segments sync THEN the browsers' segment filters on the app's tag", async () => {
    await syncShopifySegments({ db, admin, logger }, SHOP);
    const stored = await db.shopifySegment.findUniqueOrThrow({ where: { shop_key: { shop: SHOP, key: "browsing" } } });
    expect(stored.query).toBe("customer_tags CONTAINS 'rfm-browsing'");
    expect([...emulator.shop(SHOP).segments.values()].find((s) => s.id === stored.segmentId)?.query).toBe(stored.query);
    // The "In Shopify" page sizes it by the customers carrying the tag (browsers have no score to count).
    const page = await loadShopifyPage(db, SHOP, new Request("https://app.test/app/shopify"));
    const tagged = ids.filter((id) => given.tagsOf(id).includes("rfm-browsing")).length;
    expect(tagged).toBeGreaterThan(0);
    expect(page.segments.find((s) => s.key === "browsing")?.customers).toBe(tagged);
  }, 60_000);
});
