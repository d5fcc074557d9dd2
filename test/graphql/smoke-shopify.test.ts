import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSmoke } from "../../app/cli/smoke-shopify";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

const SHOP = "smoke-target.myshopify.com";
let emulator: AdminEmulator;
let token: string;

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Smoke target", dataset: { customers: 20, orders: 40 } }],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  token = shop.issueToken(TEST_APP.scopes, false).access_token;
}, 30_000);

afterAll(async () => {
  await emulator?.close();
});

describe("npm run smoke:shopify", () => {
  it("GIVEN the emulator standing in for the store THEN every read document runs and no shape differs", async () => {
    const report = await runSmoke(["--shop", SHOP, "--token", token]);
    expect(report.checked).toContain("ShopInfo");
    expect(report.differences).toEqual([]);
  });

  it("GIVEN --write THEN the segment writes run too and no shape differs", async () => {
    const report = await runSmoke(["--shop", SHOP, "--token", token, "--write"]);
    expect(report.checked).toContain("RfmSegmentCreate/Update/ById/Delete");
    expect(report.differences).toEqual([]);
  });
});
