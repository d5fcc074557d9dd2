import { expect } from "vitest";
import type { Db } from "../../app/platform/db.server";
import { DEMO_SHOP, type DemoStack } from "../demo/stack";
import { openApp } from "./merchant";
import { waitFor } from "./wait";
import { SEGMENT_KEYS } from "../../app/domain/rfm/segments";
import { anyEngagement } from "../../app/pipeline/engagement/engagement-source.server";

/**
 * The merchant opens the app (install through the real auth path), the first
 * backfill completes, and what follows it settles: the first scoring run, the
 * tag, metafield and Shopify segment write-back, and Shopify's customers/update echoes of those tag writes —
 * so a test that compares rows afterwards sees nothing move underneath it.
 */
export async function installAndBackfill(stack: DemoStack, db: Db, shop = DEMO_SHOP): Promise<void> {
  expect((await openApp(stack, shop)).status).toBe(200);
  await waitFor(
    `${shop} backfill`,
    async () => (await db.syncRun.findFirst({ where: { shop, status: "completed" } })) ?? undefined,
    90_000,
  );
  await waitFor(
    `${shop} first scoring run`,
    () => db.scoringRun.findFirst({ where: { shop, kind: "full", finishedAt: { not: null } } }),
    60_000,
  );
  const scored = await db.customerScore.count({ where: { shop } });
  await waitFor(
    `${shop} tag write-back`,
    async () => (await db.customerTagState.count({ where: { shop } })) === scored,
    120_000,
  );
  await waitFor(
    `${shop} metafield write-back`,
    async () => (await db.customerMetafieldState.count({ where: { shop } })) === scored,
    120_000,
  );
  await waitFor(
    `${shop} Shopify segments`,
    // Lost but engaged gets its Shopify segment only once the shop has engagement data (pixel or Shopify's signals,
    // synced before the first run); the browsers get one on Shopify's storefront filter or, with engagement, the tag.
    async () => {
      const engaged = (await anyEngagement(db, shop)) !== null;
      const storefront = (await db.engagementSync.findUnique({ where: { shop } }))?.storefrontEvents ?? false;
      const expected = SEGMENT_KEYS.length - (engaged ? 0 : 1) + (engaged || storefront ? 1 : 0);
      return (await db.shopifySegment.count({ where: { shop } })) === expected;
    },
    60_000,
  );
  const echoes = () => stack.emulator.deliveries.filter((d) => d.shop === shop && d.topic === "customers/update");
  await waitFor(`${shop} tag echoes`, async () => echoes().length >= scored, 60_000);
  expect(echoes().every((d) => d.status === 200)).toBe(true);
}
