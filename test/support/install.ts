import { expect } from "vitest";
import type { Db } from "../../app/db.server";
import { DEMO_SHOP, type DemoStack } from "../demo/stack";
import { openApp } from "./merchant";
import { waitFor } from "./wait";

/** The merchant opens the app (install through the real auth path) and the first backfill completes. */
export async function installAndBackfill(stack: DemoStack, db: Db, shop = DEMO_SHOP): Promise<void> {
  expect((await openApp(stack, shop)).status).toBe(200);
  await waitFor(`${shop} backfill`, async () => (await db.syncRun.findFirst({ where: { shop, status: "completed" } })) ?? undefined, 90_000);
}
