import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { runWriteBack } from "../../app/pipeline/write-back/write-back.server";
import { claimPending, markWriteBackPendingSql, releasePending } from "../../app/pipeline/write-back/pending.server";
import { appTagsFor, tagChange, tagOf } from "../../app/domain/rfm/tags";
import { SEGMENT_KEYS, type SegmentKey } from "../../app/domain/rfm/segments";
import { BEHAVIOUR_KEYS } from "../../app/domain/rfm/behaviours";
import { loadRfmSettings } from "../../app/settings/settings.server";
import { Random } from "../emulator/random";
import { givenScoredShop, scoreRow, type ScoredShop } from "./scored-shop";

/**
 * A changed-scope write-back compares only the customers marked in WriteBackPending. After random re-scores
 * (moves, new behaviours, lost and new scores, each marked as scoring marks them) it writes exactly the set a full
 * comparison finds — no customer more, none less — and never touches a tag the app did not write.
 */

const SHOP = "pending-write-back.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
let given: ScoredShop;
const deps = () => ({ db, admin: given.admin, logger });
const rng = new Random(16);

const tagsOf = (id: bigint) => given.tagsOf(id).sort();
/** `n` distinct items, in random order. */
function sample<T>(items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(...pool.splice(rng.int(0, pool.length - 1), 1));
  return out;
}
const metafieldsOf = (id: bigint) =>
  JSON.stringify([...(given.emulated.customerMetafields.get(Number(id)) ?? new Map())]);

const randomScore = (customerId: bigint) =>
  scoreRow(SHOP, customerId, {
    r: rng.int(1, 5),
    f: rng.int(1, 5),
    m: rng.int(1, 5),
    segment: rng.pick(SEGMENT_KEYS),
    behaviours: rng.chance(0.3) ? [rng.pick(BEHAVIOUR_KEYS)] : [],
  });

/** Marks customers as a scoring run does, in the same statement shape. */
async function mark(customerIds: bigint[]) {
  await db.$executeRawUnsafe(markWriteBackPendingSql("SELECT unnest($2::bigint[])"), SHOP, customerIds);
}

/** What a full comparison finds: customers whose tags, metafields (or cleared metafields) must change. */
async function fullComparison() {
  const settings = await loadRfmSettings(db, SHOP);
  const [scores, tagStates, metafieldStates] = await Promise.all([
    db.customerScore.findMany({ where: { shop: SHOP } }),
    db.customerTagState.findMany({ where: { shop: SHOP } }),
    db.customerMetafieldState.findMany({ where: { shop: SHOP } }),
  ]);
  const score = new Map(scores.map((s) => [s.customerId, s]));
  const written = new Map(tagStates.map((t) => [t.customerId, t.tags]));
  const tags = new Set<bigint>();
  for (const id of new Set([...score.keys(), ...written.keys()])) {
    const s = score.get(id);
    const desired = appTagsFor((s?.segment ?? null) as SegmentKey | null, s?.behaviours ?? [], settings);
    const { add, remove } = tagChange(written.get(id) ?? [], desired);
    if (add.length + remove.length > 0) tags.add(id);
  }
  const values = new Map(metafieldStates.map((m) => [m.customerId, m.values]));
  const metafields = new Set<bigint>();
  for (const s of scores)
    if (values.get(s.customerId) !== `${s.segment}|${s.r}|${s.f}|${s.m}`) metafields.add(s.customerId);
  for (const id of values.keys()) if (!score.has(id)) metafields.add(id);
  return { tags, metafields };
}

beforeAll(async () => {
  // The first 250 of 300 are scored; the rest may gain a score later.
  given = await givenScoredShop(db, {
    shop: SHOP,
    plan: "plus",
    customers: 300,
    orders: 400,
    seed: 16,
    scored: 250,
    echoTagWebhooks: false,
    score: randomScore,
  });
}, 60_000);

afterAll(async () => {
  await given?.close();
  await db.$disconnect();
});

const expectMerchantTagsIntact = () => given.expectMerchantTagsIntact();

describe("pending-set write-back", () => {
  it("GIVEN the first write-back THEN it compares everyone and leaves nothing pending", async () => {
    expect(given.original.size).toBe(300);
    expect([...given.original.values()].flat().length).toBeGreaterThan(0); // merchant tags to keep
    const outcome = await runWriteBack(deps(), SHOP);
    expect(outcome.scope).toBe("full");
    expect(outcome.tags.customersChanged).toBe(250);
    expect(await db.writeBackPending.count({ where: { shop: SHOP } })).toBe(0);
    expectMerchantTagsIntact();
  });

  it("GIVEN random moves, new behaviours, lost and new scores THEN it writes exactly what a full comparison finds, paced or bulk", async () => {
    for (let round = 0; round < 4; round++) {
      // Odd rounds go through bulk mutations, paging the marked customers 7 at a time (several pages, a short last).
      const bulk = round % 2 === 1;
      const scored = (await db.customerScore.findMany({ where: { shop: SHOP }, select: { customerId: true } })).map(
        (s) => s.customerId,
      );
      const scoredSet = new Set(scored);
      const moved = sample(scored, 25);
      const lost = sample(
        scored.filter((id) => !moved.includes(id)),
        6,
      );
      const gained = sample(
        given.ids.filter((id) => !scoredSet.has(id)),
        5,
      );
      for (const id of moved) {
        const next = randomScore(id);
        // Some re-scores change nothing the write-back writes (only frequency): marked all the same.
        const quiet = rng.chance(0.2);
        await db.customerScore.update({
          where: { shop_customerId: { shop: SHOP, customerId: id } },
          data: quiet
            ? { frequency: { increment: 1 } }
            : { segment: next.segment, r: next.r, f: next.f, m: next.m, behaviours: next.behaviours },
        });
      }
      await db.customerScore.deleteMany({ where: { shop: SHOP, customerId: { in: lost } } });
      await db.customerScore.createMany({ data: gained.map(randomScore) });
      await mark([...moved, ...lost, ...gained]);

      const expected = await fullComparison();
      expect(expected.tags.size, `round ${round}`).toBeGreaterThan(0);
      const tagsBefore = new Map(given.ids.map((id) => [id, tagsOf(id).join(",")]));
      const metafieldsBefore = new Map(given.ids.map((id) => [id, metafieldsOf(id)]));
      const outcome = await runWriteBack(deps(), SHOP, bulk ? { pageSize: 7, bulkThreshold: 0, pollMs: 50 } : {});
      expect(outcome.scope).toBe("changed");
      expect([outcome.tags.mode, outcome.metafields.mode], `round ${round}`).toEqual(
        bulk ? ["bulk", "bulk"] : ["paced", "paced"],
      );
      const tagsWritten = new Set(given.ids.filter((id) => tagsOf(id).join(",") !== tagsBefore.get(id)));
      const metafieldsWritten = new Set(given.ids.filter((id) => metafieldsOf(id) !== metafieldsBefore.get(id)));
      expect([...tagsWritten].sort(), `round ${round}: tags`).toEqual([...expected.tags].sort());
      expect([...metafieldsWritten].sort(), `round ${round}: metafields`).toEqual([...expected.metafields].sort());
      expect(outcome.tags.customersChanged).toBe(expected.tags.size);
      expect(await db.writeBackPending.count({ where: { shop: SHOP } })).toBe(0);
      // A customer whose app tags all went keeps no recorded state.
      expect(await db.customerTagState.count({ where: { shop: SHOP, tags: { isEmpty: true } } })).toBe(0);
      // Nothing is left for a full comparison to find.
      const full = await runWriteBack(deps(), SHOP, { full: true });
      expect(full.tags.customersChanged + full.metafields.customersChanged + full.metafields.customersCleared).toBe(0);
      expectMerchantTagsIntact();
    }
    // Eight write-backs, four of them through bulk operations: more than the default 30 s on a busy machine.
  }, 180_000);

  it("GIVEN a change that is not marked THEN a changed run does not see it, the daily full one does", async () => {
    const [row] = await db.customerScore.findMany({ where: { shop: SHOP }, take: 1, orderBy: { customerId: "asc" } });
    if (!row) throw new Error("no score");
    const segment = row.segment === "champions" ? "lost" : "champions";
    await db.customerScore.update({
      where: { shop_customerId: { shop: SHOP, customerId: row.customerId } },
      data: { segment },
    });
    const changed = await runWriteBack(deps(), SHOP);
    expect(changed.scope).toBe("changed");
    expect(changed.tags.customersChanged).toBe(0);
    await db.shop.update({ where: { shop: SHOP }, data: { writeBackFullAt: new Date(Date.now() - 25 * 3_600_000) } });
    const daily = await runWriteBack(deps(), SHOP);
    expect(daily.scope).toBe("full");
    expect(daily.tags.customersChanged).toBe(1);
    expect(tagsOf(row.customerId)).toContain(tagOf("rfm-", segment));
  });

  it("GIVEN a line Shopify refuses THEN the next write-back compares everyone, until nothing is refused", async () => {
    // A customer Shopify does not have answers "Customer does not exist".
    const missing = 7_000_000_999_999n;
    await db.customerScore.create({ data: randomScore(missing) });
    await mark([missing]);
    const refused = await runWriteBack(deps(), SHOP);
    expect(refused.scope).toBe("changed");
    expect(refused.tags.failures.map((f) => f.customerId)).toEqual([String(missing)]);
    expect(await db.writeBackPending.count({ where: { shop: SHOP } })).toBe(0);
    const again = await runWriteBack(deps(), SHOP);
    expect(again.scope).toBe("full");
    expect(again.tags.failures.map((f) => f.customerId)).toEqual([String(missing)]);
    await db.customerScore.delete({ where: { shop_customerId: { shop: SHOP, customerId: missing } } });
    await mark([missing]);
    expect((await runWriteBack(deps(), SHOP)).scope).toBe("full");
    expect((await runWriteBack(deps(), SHOP)).scope).toBe("changed");
    expectMerchantTagsIntact();
  });

  it("GIVEN a customer marked again after a run claimed the marks THEN that mark outlives the run's release", async () => {
    const [a, b] = given.ids;
    if (a === undefined || b === undefined) throw new Error("no customers");
    await mark([a, b]);
    const claim = await claimPending(db, SHOP);
    expect(claim.count).toBe(2);
    await mark([b]);
    await releasePending(db, SHOP, claim);
    const left = await db.writeBackPending.findMany({ where: { shop: SHOP }, select: { customerId: true } });
    expect(left.map((p) => p.customerId)).toEqual([b]);
    await db.writeBackPending.deleteMany({ where: { shop: SHOP } });
  });
});
