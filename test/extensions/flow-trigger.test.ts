import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { storedOrderAdder } from "../support/stored-order";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { reconstructHistory, runFullScoring, runIncrementalScoring } from "../../app/pipeline/score/scoring.server";
import { FLOW_TRIGGER_HANDLE, sendFlowTriggers } from "../../app/pipeline/write-back/flow-triggers.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";
import { Random } from "../emulator/random";

/**
 * The "Customer RFM segment changed" Flow trigger at service level: scoring
 * records one outbox event per moved customer (never for reconstructions,
 * the first full run or no-op runs), and the drain sends each one once to
 * the emulator over real HTTP — which checks handle, field names and types
 * and the 50 KB limit against extensions/rfm-segment-changed — paced under
 * the shop's bucket.
 */

const SHOP = "flow-test.myshopify.com";
const TZ = "Europe/Amsterdam";
const D1 = "2026-06-01";
const D2 = "2026-08-01";
const D3 = "2026-11-20";
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;
let admin: AdminClient;
let customerIds: bigint[] = [];

// A virtual clock for the bucket: pacing waits advance it instead of sleeping.
let clock = Date.now();
const sleep = async (ms: number) => {
  clock += ms;
};
const now = () => clock;
const deps = () => ({ db, admin, logger, sleep, now });
const received = () => emulator.shop(SHOP).flowTriggers;
const flowRequests = () => emulator.log.filter((l) => l.shop === SHOP && l.operationName === "AppFlowTriggers");
const scores = async () =>
  new Map((await db.customerScore.findMany({ where: { shop: SHOP } })).map((s) => [s.customerId, s]));
const events = () => db.flowTriggerEvent.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });

const addOrder = storedOrderAdder(db, SHOP);

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Flow", plan: "standard", dataset: { customers: 80, orders: 100, seed: 5 } }],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  shop.setRestoreRate(100, now);
  admin = createAdminClient({
    shop: SHOP,
    accessToken: shop.issueToken(TEST_APP.scopes, false).access_token,
    logger,
    sleep,
  });
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: TZ } });
  // 60 of the shop's customers with 1–8 orders spread over 2024 to May 2026; the last 20 stay unscored for now.
  customerIds = Array.from({ length: 80 }, (_, i) => BigInt(shop.dataset.customer(i).id));
  const rng = new Random(9);
  const end = Date.parse("2026-05-31T12:00:00Z");
  for (const id of customerIds.slice(0, 60)) {
    const n = rng.next() < 0.4 ? 1 : 1 + Math.floor(rng.next() * 8);
    for (let k = 0; k < n; k++)
      await addOrder(
        id,
        new Date(end - Math.floor(rng.next() * 880) * 86_400_000),
        10 + Math.floor(rng.next() ** 2 * 500),
      );
  }
  await recomputeShopAggregates(db, SHOP);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

describe("Flow trigger: Customer RFM segment changed", () => {
  it("GIVEN a new install WHEN history is reconstructed and the first full run scores the shop THEN no trigger is recorded", async () => {
    const reconstructed = await reconstructHistory(db, SHOP, new Date(`${D1}T10:00:00Z`));
    expect(reconstructed?.flowEvents).toBe(0);
    const first = await runFullScoring(db, SHOP, { asOf: D1 });
    // The first full run does move customers (against the reconstruction), but that is catch-up, not news.
    expect(first.changedSegment).toBeGreaterThan(0);
    expect(first.flowEvents).toBe(0);
    expect(await events()).toEqual([]);
  });

  it("GIVEN orders in the two months since WHEN the next full run moves customers THEN exactly one event per moved customer, with previous and new segment and R/F/M", async () => {
    // Scores are ranks: customers move when some of them order again.
    for (const id of customerIds.slice(0, 60).filter((_, i) => i % 4 === 0))
      await addOrder(id, new Date("2026-07-15T10:00:00Z"), 300);
    await recomputeShopAggregates(db, SHOP);
    const before = await scores();
    const run = await runFullScoring(db, SHOP, { asOf: D2 });
    const after = await scores();
    const moved = [...after.values()].filter((s) => before.get(s.customerId)?.segment !== s.segment);
    expect(moved.length).toBeGreaterThan(5);
    expect(run.flowEvents).toBe(moved.length);
    const rows = await events();
    expect(rows).toHaveLength(moved.length);
    expect(new Set(rows.map((e) => e.customerId)).size).toBe(rows.length);
    for (const s of moved) {
      const e = rows.find((x) => x.customerId === s.customerId);
      expect(e).toMatchObject({
        fromSegment: before.get(s.customerId)?.segment,
        toSegment: s.segment,
        r: s.r,
        f: s.f,
        m: s.m,
        sentAt: null,
        attempts: 0,
      });
      expect(e?.changedOn.toISOString().slice(0, 10)).toBe(D2);
    }
  });

  it("GIVEN nothing changed WHEN the same day's run and an empty re-score run THEN no event is recorded", async () => {
    const count = (await events()).length;
    const again = await runFullScoring(db, SHOP, { asOf: D2 });
    expect(again.changedSegment).toBe(0);
    expect(again.flowEvents).toBe(0);
    const rescore = await runIncrementalScoring(db, SHOP, { asOf: D2 });
    expect(rescore?.flowEvents).toBe(0);
    expect(await events()).toHaveLength(count);
  });

  it("GIVEN recorded events WHEN drained THEN Flow receives each once with the extension's fields, and a second drain sends nothing", async () => {
    const rows = await events();
    const outcome = await sendFlowTriggers(deps(), SHOP);
    expect(outcome).toMatchObject({
      sent: rows.length,
      refused: 0,
      gaveUp: 0,
      retryable: 0,
      requests: Math.ceil(rows.length / 10),
    });
    expect(received()).toHaveLength(rows.length);
    rows.forEach((e, i) => {
      expect(received()[i]).toMatchObject({
        handle: FLOW_TRIGGER_HANDLE,
        payload: {
          customer_id: Number(e.customerId),
          "Previous segment": e.fromSegment ?? "",
          "New segment": e.toSegment,
          "R score": e.r,
          "F score": e.f,
          "M score": e.m,
          "Changed on": D2,
          // No predictions in this shop: the bands go empty.
          "Chance still active": "",
          "Predicted yearly value": "",
          "Expected orders next year": "",
        },
      });
    });
    expect((await events()).every((e) => e.sentAt !== null && e.attempts === 1 && e.lastError === null)).toBe(true);
    const requests = flowRequests().length;
    const second = await sendFlowTriggers(deps(), SHOP);
    expect(second).toMatchObject({ sent: 0, requests: 0 });
    expect(flowRequests()).toHaveLength(requests);
    expect(received()).toHaveLength(rows.length);
  });

  it("GIVEN a brand-new customer and a lapsed one order WHEN re-scored THEN the new one fires with no previous segment, and a trigger Flow refuses is recorded and retried", async () => {
    const current = await scores();
    const lapsed = [...current.values()]
      .filter((s) => s.r === 1)
      .sort((a, b) => Number(a.customerId - b.customerId))[0];
    if (!lapsed) throw new Error("no lapsed customer");
    const fresh = customerIds[60] as bigint;
    await addOrder(fresh, new Date(`${D2}T09:00:00Z`), 40);
    await addOrder(lapsed.customerId, new Date(`${D2}T09:00:00Z`), 900);
    await recomputeShopAggregates(db, SHOP);
    await db.pendingRescore.createMany({
      data: [
        { shop: SHOP, customerId: fresh },
        { shop: SHOP, customerId: lapsed.customerId },
      ],
    });
    const rescore = await runIncrementalScoring(db, SHOP, { asOf: D2 });
    expect(rescore?.flowEvents).toBe(2);
    const after = await scores();
    const unsent = await db.flowTriggerEvent.findMany({ where: { shop: SHOP, sentAt: null }, orderBy: { id: "asc" } });
    expect(unsent.map((e) => [e.customerId, e.fromSegment, e.toSegment])).toEqual(
      [
        [fresh, null, after.get(fresh)?.segment],
        [lapsed.customerId, lapsed.segment, after.get(lapsed.customerId)?.segment],
      ].sort((a, b) => Number((a[0] as bigint) - (b[0] as bigint))),
    );

    // Flow refuses the lapsed customer's trigger once.
    const shop = emulator.shop(SHOP);
    shop.flowRefusals.set(Number(lapsed.customerId), "Workflow trigger could not be processed");
    const sentBefore = received().length;
    const first = await sendFlowTriggers(deps(), SHOP);
    expect(first).toMatchObject({ sent: 1, refused: 1, retryable: 1, gaveUp: 0, requests: 1 });
    expect(
      received()
        .slice(sentBefore)
        .map((t) => t.payload),
    ).toEqual([
      expect.objectContaining({
        customer_id: Number(fresh),
        "Previous segment": "",
        "New segment": after.get(fresh)?.segment,
      }),
    ]);
    const refused = await db.flowTriggerEvent.findFirstOrThrow({
      where: { shop: SHOP, customerId: lapsed.customerId, sentAt: null },
    });
    expect(refused).toMatchObject({ attempts: 1, lastError: "Workflow trigger could not be processed" });

    shop.flowRefusals.clear();
    const retry = await sendFlowTriggers(deps(), SHOP);
    expect(retry).toMatchObject({ sent: 1, refused: 0, retryable: 0 });
    expect(received().at(-1)?.payload).toMatchObject({
      customer_id: Number(lapsed.customerId),
      "Previous segment": lapsed.segment,
    });
    expect(
      await db.flowTriggerEvent.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: refused.id } } }),
    ).toMatchObject({ attempts: 2, lastError: null });
    expect(
      (await db.flowTriggerEvent.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: refused.id } } })).sentAt,
    ).not.toBeNull();
  });

  it("GIVEN a trigger Flow always refuses THEN it is given up after the last attempt and never sent again", async () => {
    const id = customerIds[61] as bigint;
    await db.flowTriggerEvent.create({
      data: {
        shop: SHOP,
        customerId: id,
        fromSegment: "loyal",
        toSegment: "at_risk",
        r: 2,
        f: 4,
        m: 4,
        changedOn: new Date(`${D2}T00:00:00Z`),
      },
    });
    emulator.shop(SHOP).flowRefusals.set(Number(id), "Customer not found");
    expect(await sendFlowTriggers(deps(), SHOP, { maxAttempts: 2 })).toMatchObject({
      refused: 1,
      retryable: 1,
      gaveUp: 0,
    });
    expect(await sendFlowTriggers(deps(), SHOP, { maxAttempts: 2 })).toMatchObject({
      refused: 1,
      retryable: 0,
      gaveUp: 1,
    });
    const requests = flowRequests().length;
    expect(await sendFlowTriggers(deps(), SHOP, { maxAttempts: 2 })).toMatchObject({
      sent: 0,
      refused: 0,
      requests: 0,
    });
    expect(flowRequests()).toHaveLength(requests);
    expect(await db.flowTriggerEvent.findFirstOrThrow({ where: { shop: SHOP, customerId: id } })).toMatchObject({
      sentAt: null,
      attempts: 2,
      lastError: "Customer not found",
    });
    emulator.shop(SHOP).flowRefusals.clear();
    await db.flowTriggerEvent.deleteMany({ where: { shop: SHOP, customerId: id } });
  });

  it("GIVEN many moves and a small bucket WHEN drained THEN the drain waits for the bucket and Shopify never answers THROTTLED", async () => {
    for (const id of customerIds.slice(0, 60).filter((_, i) => i % 4 !== 0))
      await addOrder(id, new Date("2026-11-01T10:00:00Z"), 120);
    await recomputeShopAggregates(db, SHOP);
    const run = await runFullScoring(db, SHOP, { asOf: D3 });
    expect(run.flowEvents).toBeGreaterThan(20);
    // 10 points/s, a bucket of 100: one request of 10 triggers empties it.
    emulator.shop(SHOP).setRestoreRate(10, now);
    const logged = emulator.log.length;
    const sentBefore = received().length;
    const outcome = await sendFlowTriggers(deps(), SHOP);
    expect(outcome.sent).toBe(run.flowEvents);
    // Every request after the first waits for most of the bucket to refill.
    expect(outcome.waitedMs).toBeGreaterThanOrEqual((outcome.requests - 2) * 9_000);
    expect(outcome.waitedMs).toBeGreaterThan(0);
    const requests = emulator.log.slice(logged).filter((l) => l.shop === SHOP);
    expect(requests.length).toBe(outcome.requests);
    expect(requests.some((l) => l.throttled)).toBe(false);
    expect(received().length - sentBefore).toBe(run.flowEvents);
    emulator.shop(SHOP).setRestoreRate(100, now);
  });

  it("GIVEN a reconstructed run that moves customers THEN no trigger is recorded", async () => {
    const count = (await events()).length;
    const run = await runFullScoring(db, SHOP, { asOf: "2026-03-01", reconstruct: true });
    expect(run.changedSegment).toBeGreaterThan(0);
    expect(run.flowEvents).toBe(0);
    expect(await events()).toHaveLength(count);
  });

  it("GIVEN payloads Shopify would refuse THEN the emulator answers userErrors and records nothing", async () => {
    const doc = `mutation AppFlowTriggers($handle: String!, $p0: JSON!) { t0: flowTriggerReceive(handle: $handle, payload: $p0) { userErrors { field message } } }`;
    const good = {
      customer_id: Number(customerIds[0]),
      "Previous segment": "loyal",
      "New segment": "at_risk",
      "R score": 2,
      "F score": 4,
      "M score": 4,
      "Changed on": D2,
      "Chance still active": "30-40",
      "Predicted yearly value": "top_10",
      "Expected orders next year": "1-2",
    };
    const cases: [string, Record<string, unknown>][] = [
      ["unknown-trigger", good],
      [FLOW_TRIGGER_HANDLE, { ...good, "R score": "2" }],
      [FLOW_TRIGGER_HANDLE, { ...good, customer_id: `gid://shopify/Customer/${customerIds[0]}` }],
      [FLOW_TRIGGER_HANDLE, { ...good, Extra: "x" }],
      [FLOW_TRIGGER_HANDLE, Object.fromEntries(Object.entries(good).filter(([k]) => k !== "New segment"))],
      [FLOW_TRIGGER_HANDLE, { ...good, "Previous segment": "x".repeat(50_001) }],
    ];
    const count = received().length;
    for (const [handle, payload] of cases) {
      const data = await admin.requestRendered<{ t0: { userErrors: { message: string }[] } }>(doc, {
        handle,
        p0: payload,
      });
      expect(data.t0.userErrors.length, `${handle} ${JSON.stringify(payload).slice(0, 80)}`).toBeGreaterThan(0);
    }
    expect(received()).toHaveLength(count);
  });
});
