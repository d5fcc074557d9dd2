import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { httpSender, smokeShopify, type SmokeReport } from "../shopify/smoke.server";

/**
 * npm run smoke:shopify -- --shop <dev-store>.myshopify.com --token <admin token> [--write]
 *
 * Runs every read document the app sends against a real dev store (Admin API
 * 2026-10) and against the Admin API emulator of test/emulator, and prints
 * where the answers differ in shape. Writes only with --write (a throw-away
 * segment). Not run in CI: test/graphql/smoke-shopify.test.ts runs it with
 * the emulator standing in for the store.
 */

const REFERENCE_SHOP = "smoke-reference.myshopify.com";

export async function runSmoke(argv: string[]): Promise<SmokeReport> {
  const { values } = parseArgs({
    args: argv,
    options: { shop: { type: "string" }, token: { type: "string" }, write: { type: "boolean", default: false } },
  });
  if (!values.shop || !values.token) throw new Error("usage: smoke:shopify -- --shop <shop> --token <token> [--write]");
  // The emulator is a dev tool of this repository; loaded only here, never by the app.
  const { startAdminEmulator } = await import("../../test/emulator/server");
  const { ShopifyToEmulatorDispatcher } = await import("../../test/emulator/shopify-origin-routing");
  const { TEST_APP } = await import("../../test/setup/test-app");
  const emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: REFERENCE_SHOP, name: "Smoke reference", dataset: { customers: 20, orders: 40 } }],
  });
  const dispatcher = new ShopifyToEmulatorDispatcher(emulator.url);
  try {
    const shop = emulator.shop(REFERENCE_SHOP);
    shop.grantedScopes = TEST_APP.scopes.split(",");
    const reference = httpSender({
      shop: REFERENCE_SHOP,
      token: shop.issueToken(TEST_APP.scopes, false).access_token,
      dispatcher,
    });
    return await smokeShopify(httpSender({ shop: values.shop, token: values.token }), reference, {
      write: values.write,
    });
  } finally {
    await dispatcher.close();
    await emulator.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await runSmoke(process.argv.slice(2));
  process.stdout.write(`Checked: ${report.checked.join(", ")}\n`);
  process.stdout.write(
    report.differences.length === 0
      ? "No differences in shape between the store and the emulator.\n"
      : `Differences:\n${report.differences.map((d) => `  ${d}`).join("\n")}\n`,
  );
  process.exitCode = report.differences.length === 0 ? 0 : 1;
}
