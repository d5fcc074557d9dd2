import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient } from "../../app/shopify/admin-client.server";
import { writeBackTags } from "../../app/pipeline/write-back/tags.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

/**
 * Paced mutations or a bulk operation: the choice follows the shop's real restore rate (its plan), also for a
 * client that has not had an answer yet — every write-back job starts with one. A Plus shop's few hundred live
 * changes go out as mutations in a second; a bulk operation would take seconds to minutes to run.
 */

const PLUS = "paced-plus.myshopify.com";
const STANDARD = "paced-standard.myshopify.com";
const CUSTOMERS = 400;
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      { domain: PLUS, name: "Plus", plan: "plus", dataset: { customers: CUSTOMERS, orders: 800, seed: 4 } },
      { domain: STANDARD, name: "Standard", plan: "standard", dataset: { customers: CUSTOMERS, orders: 800, seed: 5 } },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  for (const domain of [PLUS, STANDARD]) {
    const shop = emulator.shop(domain);
    shop.grantedScopes = TEST_APP.scopes.split(",");
    await db.shop.create({ data: { shop: domain, ianaTimezone: "Europe/Amsterdam" } });
    await db.customerScore.createMany({
      data: Array.from({ length: CUSTOMERS }, (_, i) => ({
        shop: domain,
        customerId: BigInt(shop.dataset.customer(i).id),
        lastOrderDate: new Date("2026-11-01T00:00:00Z"),
        frequency: 1,
        monetary: "10",
        r: 3,
        f: 1,
        m: 2,
        segment: i % 2 ? "loyal" : "at_risk",
        segmentSince: new Date("2026-11-01T00:00:00Z"),
        behaviours: [],
        behaviourSince: [],
        scoredRunId: 1n,
      })),
    });
  }
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

const freshClient = (domain: string) =>
  createAdminClient({
    shop: domain,
    accessToken: emulator.shop(domain).issueToken(TEST_APP.scopes, false).access_token,
    logger,
  });

describe("paced or bulk tag write-back", () => {
  it("GIVEN a Plus shop and a client that has seen no answer WHEN 400 customers change THEN they go out as paced mutations after one throttle probe", async () => {
    const admin = freshClient(PLUS);
    expect(admin.lastCost).toBeUndefined();
    const outcome = await writeBackTags({ db, admin, logger }, PLUS, { pollMs: 50 });
    expect(outcome.mode).toBe("paced");
    expect(outcome.bulkOperations).toBe(0);
    expect(outcome.customersChanged).toBe(CUSTOMERS);
    expect(outcome.failures).toEqual([]);
    const calls = emulator.log.filter((l) => l.shop === PLUS);
    expect(calls.filter((l) => l.operationName === "ThrottleProbe")).toHaveLength(1);
    expect(calls.some((l) => l.throttled)).toBe(false);
  }, 60_000);

  it("GIVEN a Standard shop and a fresh client WHEN 400 customers change THEN a bulk mutation carries them (paced would take a minute)", async () => {
    const admin = freshClient(STANDARD);
    const outcome = await writeBackTags({ db, admin, logger }, STANDARD, { pollMs: 50 });
    expect(outcome.mode).toBe("bulk");
    expect(outcome.customersChanged).toBe(CUSTOMERS);
    expect(outcome.failures).toEqual([]);
  }, 60_000);
});
