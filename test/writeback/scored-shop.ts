import { expect } from "vitest";
import type { Prisma } from "../../app/generated/prisma/client";
import type { Db } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import type { EmulatedShop } from "../emulator/shop-state";
import { TEST_APP } from "../setup/test-app";

/**
 * The GIVEN the write-back tests share: an emulated shop over real HTTP (its customers carrying merchant tags), the
 * app installed with every scope, a Shop row, and scores for the first `scored` customers.
 */

export type ScoreRow = Prisma.CustomerScoreCreateManyInput;

/** A score row with the fields the write-back does not read filled in; `fields` are the ones a test chooses. */
export function scoreRow(
  shop: string,
  customerId: bigint,
  fields: Pick<ScoreRow, "r" | "f" | "m" | "segment" | "behaviours">,
): ScoreRow {
  return {
    shop,
    customerId,
    lastOrderDate: new Date("2026-11-01T00:00:00Z"),
    frequency: 1,
    monetary: "10",
    segmentSince: new Date("2026-11-01T00:00:00Z"),
    behaviourSince: [],
    scoredRunId: 1n,
    ...fields,
  };
}

export interface ScoredShopSetup {
  shop: string;
  plan: "standard" | "plus";
  customers: number;
  orders: number;
  seed: number;
  /** The first `scored` customers get a score. */
  scored: number;
  score: (customerId: bigint) => ScoreRow;
  /** A virtual clock for the bucket: pacing waits advance it instead of sleeping. */
  clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
  /** Shopify's customers/update echo of each tag write (off: the test looks at the emulator's state directly). */
  echoTagWebhooks?: boolean;
  ianaTimezone?: string;
}

export interface ScoredShop {
  emulator: AdminEmulator;
  emulated: EmulatedShop;
  admin: AdminClient;
  /** Every customer of the shop, in dataset order. */
  ids: bigint[];
  /** The scored ones (the first `scored` of `ids`). */
  scoredIds: bigint[];
  /** Each customer's tags before the app wrote any: the merchant's. */
  original: Map<bigint, string[]>;
  tagsOf(id: bigint): string[];
  expectMerchantTagsIntact(): void;
  close(): Promise<void>;
}

export async function givenScoredShop(db: Db, setup: ScoredShopSetup): Promise<ScoredShop> {
  const emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      {
        domain: setup.shop,
        name: setup.shop,
        plan: setup.plan,
        dataset: { customers: setup.customers, orders: setup.orders, seed: setup.seed },
      },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  const emulated = emulator.shop(setup.shop);
  emulated.grantedScopes = TEST_APP.scopes.split(",");
  if (setup.echoTagWebhooks !== undefined) emulated.echoTagWebhooks = setup.echoTagWebhooks;
  if (setup.clock) emulated.setRestoreRate(100, setup.clock.now);
  const admin = createAdminClient({
    shop: setup.shop,
    accessToken: emulated.issueToken(TEST_APP.scopes, false).access_token,
    logger,
    ...(setup.clock ? { sleep: setup.clock.sleep } : {}),
  });
  await db.shop.create({
    data: { shop: setup.shop, ...(setup.ianaTimezone ? { ianaTimezone: setup.ianaTimezone } : {}) },
  });
  const ids: bigint[] = [];
  const original = new Map<bigint, string[]>();
  for (let i = 0; i < setup.customers; i++) {
    const c = emulated.dataset.customer(i);
    ids.push(BigInt(c.id));
    original.set(BigInt(c.id), [...emulated.customerTagList(c)]);
  }
  const scoredIds = ids.slice(0, setup.scored);
  await db.customerScore.createMany({ data: scoredIds.map(setup.score) });
  const tagsOf = (id: bigint) => {
    const customer = emulated.customer(Number(id));
    if (!customer) throw new Error(`no customer ${id}`);
    return [...emulated.customerTagList(customer)];
  };
  return {
    emulator,
    emulated,
    admin,
    ids,
    scoredIds,
    original,
    tagsOf,
    expectMerchantTagsIntact() {
      for (const [id, tags] of original)
        for (const t of tags) expect(tagsOf(id), `customer ${id} lost merchant tag ${t}`).toContain(t);
    },
    close: () => emulator.close(),
  };
}
