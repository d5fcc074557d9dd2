import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import type { AdminClient } from "../../app/shopify/admin-client.server";
import { writeBackTags } from "../../app/pipeline/write-back/tags.server";
import { saveRfmSettings } from "../../app/settings/settings.server";
import { SEGMENT_KEYS } from "../../app/domain/rfm/segments";
import type { AdminEmulator } from "../emulator/server";
import { Random } from "../emulator/random";
import { givenScoredShop, scoreRow, type ScoredShop } from "./scored-shop";

/**
 * Tag write-back against the emulator over real HTTP: Standard plan bucket
 * (100 points/s), every document validated against the 2026-10 schema, the
 * emulator keeping each customer's real tag list (merchant tags included).
 */

const SHOP = "tags-test.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
let given: ScoredShop;
let emulator: AdminEmulator;
let admin: AdminClient;

// A virtual clock for the bucket: pacing waits advance it instead of sleeping, so the
// test measures Standard-plan wall time (100 points/s) without spending it.
let clock = Date.now();
const sleep = async (ms: number) => {
  clock += ms;
};
const now = () => clock;
const deps = () => ({ db, admin, logger, sleep, now });
const mutationsLogged = () => emulator.log.filter((l) => l.shop === SHOP && l.operationName === "AppTagsWriteBack");
const tagsOf = (id: bigint) => given.tagsOf(id);
const expectMerchantTagsIntact = () => given.expectMerchantTagsIntact();

beforeAll(async () => {
  // Scores for the first 200 of 240 customers (the others have none), with random segments and behaviours.
  const rng = new Random(3);
  given = await givenScoredShop(db, {
    shop: SHOP,
    plan: "standard",
    customers: 240,
    orders: 600,
    seed: 8,
    scored: 200,
    clock: { now, sleep },
    ianaTimezone: "Europe/Amsterdam",
    score: (id) =>
      scoreRow(SHOP, id, {
        r: 3,
        f: 1,
        m: 2,
        segment: rng.pick(SEGMENT_KEYS),
        behaviours: rng.chance(0.3) ? ["vip_top_5"] : [],
      }),
  });
  ({ emulator, admin } = given);
}, 60_000);

afterAll(async () => {
  await given?.close();
  await db.$disconnect();
});

describe("tag write-back", () => {
  it("GIVEN 200 scored customers THEN each gets its segment tag, merchant tags stay, and the bucket never throttles", async () => {
    expect([...given.original.values()].flat()).toContain("rfm-manual"); // a merchant tag that looks like ours
    const outcome = await writeBackTags(deps(), SHOP);
    expect(outcome.failures).toEqual([]);
    expect(outcome.customersChanged).toBe(200);
    expect(outcome.mutations).toBe(200);
    expect(outcome.pointsSpent).toBe(2_000);
    expect(mutationsLogged().every((l) => !l.throttled)).toBe(true);
    // 2 000 points at 100/s from a full bucket of 1 000: ten seconds of pacing, not a THROTTLED answer.
    expect(outcome.waitedMs).toBeGreaterThanOrEqual(10_000);
    expect(outcome.waitedMs).toBeLessThan(11_000);
    for (const s of await db.customerScore.findMany({ where: { shop: SHOP } }))
      expect(tagsOf(s.customerId)).toContain(`rfm-${s.segment.replaceAll("_", "-")}`);
    expectMerchantTagsIntact();
  }, 60_000);

  it("GIVEN nothing changed THEN a second run makes zero mutation calls", async () => {
    const before = mutationsLogged().length;
    const outcome = await writeBackTags(deps(), SHOP);
    expect(outcome).toMatchObject({ customersChanged: 0, mutations: 0, requests: 0 });
    expect(mutationsLogged().length).toBe(before);
  });

  it("GIVEN ten customers moved THEN only they are written: the old tag removed, the new one added", async () => {
    const moved = await db.customerScore.findMany({
      where: { shop: SHOP, NOT: { segment: "champions" } },
      take: 10,
      orderBy: { customerId: "asc" },
    });
    await db.customerScore.updateMany({
      where: { shop: SHOP, customerId: { in: moved.map((m) => m.customerId) } },
      data: { segment: "champions" },
    });
    const outcome = await writeBackTags(deps(), SHOP);
    expect(outcome).toMatchObject({ customersChanged: 10, mutations: 20, requests: 1 });
    for (const m of moved) {
      expect(tagsOf(m.customerId)).toContain("rfm-champions");
      expect(tagsOf(m.customerId)).not.toContain(`rfm-${m.segment.replaceAll("_", "-")}`);
    }
    expectMerchantTagsIntact();
  }, 30_000);

  it("GIVEN a run that dies half way THEN the next run finishes exactly what is left", async () => {
    await saveRfmSettings(db, SHOP, { writeBack: { behaviourTags: ["vip_top_5"] } });
    const vip = await db.customerScore.count({ where: { shop: SHOP, behaviours: { has: "vip_top_5" } } });
    let calls = 0;
    const dying: AdminClient = {
      shop: SHOP,
      get lastCost() {
        return admin.lastCost;
      },
      redactedFields: admin.redactedFields,
      request: (document, ...variables) => {
        if (++calls > 1) return Promise.reject(new Error("process killed"));
        return admin.request(document, ...variables);
      },
      requestRendered: (document, variables) => {
        if (++calls > 1) return Promise.reject(new Error("process killed"));
        return admin.requestRendered(document, variables);
      },
    };
    await expect(writeBackTags({ db, admin: dying, logger, sleep, now }, SHOP, { batchSize: 10 })).rejects.toThrow(
      "process killed",
    );
    const resumed = await writeBackTags(deps(), SHOP, { batchSize: 10 });
    expect(resumed.customersChanged).toBe(vip - 10);
    const withTag = (
      await db.customerScore.findMany({ where: { shop: SHOP, behaviours: { has: "vip_top_5" } } })
    ).filter((s) => tagsOf(s.customerId).includes("rfm-vip-top-5"));
    expect(withTag).toHaveLength(vip);
    // No tag twice anywhere.
    for (const id of given.ids) expect(new Set(tagsOf(id).map((t) => t.toLowerCase())).size).toBe(tagsOf(id).length);
  }, 60_000);

  it("GIVEN a new prefix THEN every old app tag is replaced and merchant tags stay", async () => {
    await saveRfmSettings(db, SHOP, { writeBack: { tagPrefix: "seg-" } });
    const outcome = await writeBackTags(deps(), SHOP);
    expect(outcome.customersChanged).toBe(200);
    for (const id of given.scoredIds) {
      expect(tagsOf(id).filter((t) => /^rfm-(?!manual)/.test(t) && !given.original.get(id)?.includes(t))).toEqual([]);
      expect(tagsOf(id).some((t) => t.startsWith("seg-"))).toBe(true);
    }
    expectMerchantTagsIntact();
  }, 60_000);

  it("GIVEN Shopify refuses a change THEN it is reported, the rest is written, and it is retried next run", async () => {
    // A customer deleted in Shopify answers "Customer does not exist".
    const gone = 7_000_000_999_999n;
    await db.customerScore.create({
      data: {
        shop: SHOP,
        customerId: gone,
        lastOrderDate: new Date(),
        frequency: 1,
        monetary: "1",
        r: 1,
        f: 1,
        m: 1,
        segment: "lost",
        segmentSince: new Date(),
        behaviours: [],
        behaviourSince: [],
        scoredRunId: 1n,
      },
    });
    const outcome = await writeBackTags(deps(), SHOP);
    expect(outcome.failures).toEqual([{ customerId: String(gone), messages: ["Customer does not exist"] }]);
    expect((await writeBackTags(deps(), SHOP)).failures).toHaveLength(1);
    await db.customerScore.delete({ where: { shop_customerId: { shop: SHOP, customerId: gone } } });
  }, 30_000);

  it("GIVEN more changes than the paced path should carry THEN one bulk mutation per kind writes them, points untouched", async () => {
    await saveRfmSettings(db, SHOP, { writeBack: { tagPrefix: "rfm-", behaviourTags: ["vip_top_5"] } });
    const gone = 7_000_000_999_998n;
    await db.customerScore.create({
      data: {
        shop: SHOP,
        customerId: gone,
        lastOrderDate: new Date(),
        frequency: 1,
        monetary: "1",
        r: 1,
        f: 1,
        m: 1,
        segment: "lost",
        segmentSince: new Date(),
        behaviours: [],
        behaviourSince: [],
        scoredRunId: 1n,
      },
    });
    const requestsBefore = emulator.log.filter((l) => l.shop === SHOP).length;
    const outcome = await writeBackTags(deps(), SHOP, { bulkThreshold: 50, pollMs: 50 });
    expect(outcome.mode).toBe("bulk");
    expect(outcome.bulkOperations).toBe(2);
    expect(outcome.failures).toEqual([{ customerId: String(gone), messages: ["Customer does not exist"] }]);
    expect(outcome.customersChanged).toBe(200);
    // Staged upload, run and a few polls per kind: a handful of requests, no mutation points per customer.
    expect(emulator.log.filter((l) => l.shop === SHOP).length - requestsBefore).toBeLessThan(30);
    expect(outcome.pointsSpent).toBeLessThan(300);
    for (const s of await db.customerScore.findMany({ where: { shop: SHOP, NOT: { customerId: gone } } })) {
      expect(tagsOf(s.customerId)).toContain(`rfm-${s.segment.replaceAll("_", "-")}`);
      expect(tagsOf(s.customerId).filter((t) => t.startsWith("seg-"))).toEqual([]);
    }
    expectMerchantTagsIntact();
    await db.customerScore.delete({ where: { shop_customerId: { shop: SHOP, customerId: gone } } });
    expect((await writeBackTags(deps(), SHOP, { bulkThreshold: 50 })).mutations).toBe(0);
  }, 60_000);

  it("GIVEN five bulk mutations left running (the 2026-10 limit) THEN the next run waits for one to end and then writes", async () => {
    await db.customerScore.updateMany({ where: { shop: SHOP }, data: { segment: "hibernating" } });
    const shop = emulator.shop(SHOP);
    const leftover = {
      id: "gid://shopify/BulkOperation/999001",
      status: "RUNNING" as const,
      errorCode: null,
      createdAt: new Date().toISOString(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      query: "mutation { tagsAdd }",
      type: "MUTATION" as const,
      file: "/dev/null",
    };
    // API 2026-10 runs up to five bulk mutations per shop at once: a sixth waits (LIMIT_REACHED).
    const ids = [0, 1, 2, 3, 4].map((n) => `gid://shopify/BulkOperation/${999_001 + n}`);
    for (const id of ids) shop.bulkOperations.set(id, { ...leftover, id });
    setTimeout(() => {
      const op = shop.bulkOperations.get(ids[0] as string);
      if (op) Object.assign(op, { status: "COMPLETED", completedAt: new Date().toISOString() });
    }, 1_500);
    const outcome = await writeBackTags(deps(), SHOP, { bulkThreshold: 50, pollMs: 50 });
    expect(outcome.failures).toEqual([]);
    expect(outcome.customersChanged).toBeGreaterThan(150);
    const busy = emulator.log.filter((l) => l.shop === SHOP && l.operationName === "BulkMutationCurrent");
    expect(busy.length).toBeGreaterThan(0);
    for (const id of given.scoredIds) expect(tagsOf(id)).toContain("rfm-hibernating");
    for (const id of ids) Object.assign(shop.bulkOperations.get(id) ?? {}, { status: "COMPLETED" });
  }, 60_000);

  it("GIVEN write-back switched off THEN no customer keeps an app tag, merchant tags stay, and later runs add none", async () => {
    await saveRfmSettings(db, SHOP, { writeBack: { enabled: false } });
    const outcome = await writeBackTags(deps(), SHOP);
    expect(outcome.failures).toEqual([]);
    for (const id of given.scoredIds) expect(tagsOf(id).sort()).toEqual([...(given.original.get(id) ?? [])].sort());
    expect(await db.customerTagState.count({ where: { shop: SHOP } })).toBe(0);
    expect((await writeBackTags(deps(), SHOP)).mutations).toBe(0);
  }, 60_000);
});
