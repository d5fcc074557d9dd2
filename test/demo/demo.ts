// `npm run demo`: the embedded database, the Admin API emulator with a seeded
// demo shop, and the app, wired together; prints the one URL to open.
import path from "node:path";
import { ensureDatabase } from "../../app/platform/db/ensure-database.server";
import { RESPONSE_TIMEOUT_MS } from "../emulator/deliveries";
import { DEMO_SHOP, ROOT, startDemoStack } from "./stack";

async function main() {
  const ownDatabase = Boolean(process.env.DATABASE_URL);
  const database = await ensureDatabase({ embeddedDir: path.join(ROOT, ".data", "demo-pglite"), fresh: true });
  const stack = await startDemoStack({
    databaseUrl: database.url,
    appPort: Number(process.env.PORT ?? 3000),
    emulatorPort: Number(process.env.EMULATOR_PORT ?? 3457),
    logLevel: process.env.LOG_LEVEL ?? "info",
    // Shopify's own timeout: an answer slower than 5 s is a failed delivery, retried.
    webhooks: { responseTimeoutMs: RESPONSE_TIMEOUT_MS },
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
  // What Shopify's delivery log would show: failed, retried and given-up deliveries, once each burst settles.
  let reported = "";
  let lastCount = 0;
  const report = (final: boolean) => {
    const webhooks = stack.emulator.webhooks;
    const count = webhooks.records.reduce((n, r) => n + r.attempts.length, 0);
    const settled = count === lastCount;
    lastCount = count;
    const summary = JSON.stringify(webhooks.summary());
    if (!final && (!settled || summary === reported)) return;
    reported = summary;
    const s = webhooks.summary();
    const lines = [
      `webhook deliveries: ${s.deliveries} (${s.delivered} delivered, ${s.failedAttempts} failed attempts, ` +
        `${s.retried} retried, ${s.givenUp} given up, ${s.pending} pending, ${s.suppressed} filtered out)`,
      ...webhooks
        .problems()
        .slice(0, 20)
        .map(
          ({ record, attempts }) =>
            `  ${record.topic} ${record.webhookId} ${record.state}: ` +
            attempts.map((a) => `#${a.attempt} ${a.status || a.outcome}`).join(", "),
        ),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  };
  const reporter = setInterval(() => report(false), 10_000);
  const stop = async () => {
    clearInterval(reporter);
    report(true);
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
