// `npm run demo`: the embedded database, the Admin API emulator with a seeded
// demo shop, and the app, wired together; prints the one URL to open.
import path from "node:path";
import { ensureDatabase } from "../../app/platform/db/ensure-database.server";
import { DEMO_SHOP, ROOT, startDemoStack } from "./stack";

async function main() {
  const ownDatabase = Boolean(process.env.DATABASE_URL);
  const database = await ensureDatabase({ embeddedDir: path.join(ROOT, ".data", "demo-pglite"), fresh: true });
  const stack = await startDemoStack({
    databaseUrl: database.url,
    appPort: Number(process.env.PORT ?? 3000),
    emulatorPort: Number(process.env.EMULATOR_PORT ?? 3457),
    logLevel: process.env.LOG_LEVEL ?? "info",
  });
  stack.app.stdout?.pipe(process.stdout);
  stack.app.stderr?.pipe(process.stderr);
  const shop = stack.emulator.shop(DEMO_SHOP);
  process.stdout.write(
    [
      "",
      "RFM Segments demo is running.",
      `  shop:     ${shop.name} (${DEMO_SHOP}), ${shop.dataset.spec.customers} customers, ${shop.ordersCount()} orders`,
      `  database: ${ownDatabase ? "your DATABASE_URL" : "embedded PGlite in .data/demo-pglite"}`,
      "",
      `Open: ${stack.adminUrl}`,
      "",
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  const stop = async () => {
    await stack.stop();
    await database.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
