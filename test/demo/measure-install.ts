// `npx tsx test/demo/measure-install.ts`: the demo's first install, measured. Starts the embedded database (or uses
// DATABASE_URL), the emulator and the app like `npm run demo`, installs the app as a merchant would, waits until the
// tag write-back and Shopify's customers/update echoes have settled, then prints what the app logged and what the
// emulator delivered: P2028 lines, non-2xx answers, retries, given-up deliveries, customers whose echo was not applied.
import path from "node:path";
import { createDb } from "../../app/platform/db.server";
import { ensureDatabase } from "../../app/platform/db/ensure-database.server";
import { RESPONSE_TIMEOUT_MS } from "../emulator/deliveries";
import { openApp } from "../support/merchant";
import { DEMO_SHOP, ROOT, startDemoStack } from "./stack";

const SETTLE_MS = 20_000;
const CAP_MS = 10 * 60_000;

async function main() {
  const onPostgres = Boolean(process.env.DATABASE_URL);
  const database = await ensureDatabase({ embeddedDir: path.join(ROOT, ".data", "measure-pglite"), fresh: true });
  // MEASURE_CONCURRENCY: deliveries in flight per shop (the emulator's default is 8; a large number sends them all at once).
  const concurrency = process.env.MEASURE_CONCURRENCY ? Number(process.env.MEASURE_CONCURRENCY) : undefined;
  const stack = await startDemoStack({
    databaseUrl: database.url,
    logLevel: "info",
    // Shopify's 5 s answer timeout, as in the demo.
    webhooks: { responseTimeoutMs: RESPONSE_TIMEOUT_MS, ...(concurrency ? { concurrencyPerShop: concurrency } : {}) },
    ...(process.env.MEASURE_APP_ENV ? { env: JSON.parse(process.env.MEASURE_APP_ENV) as Record<string, string> } : {}),
  });
  const db = createDb(database.url, 2);
  const started = Date.now();
  const opened = await openApp(stack);
  if (opened.status !== 200) throw new Error(`the app answered ${opened.status} on install`);
  let last = -1;
  let quietSince = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 2_000));
    const count = stack.emulator.deliveries.length + stack.output().length;
    if (count !== last) {
      last = count;
      quietSince = Date.now();
    }
    const tagged = await db.customerTagState.count({ where: { shop: DEMO_SHOP } });
    // Settled: the write-back happened, nothing moved for a while, and no delivery waits for a retry.
    const pending = stack.emulator.webhooks.summary().pending;
    if (tagged > 0 && pending === 0 && Date.now() - quietSince > SETTLE_MS) break;
    if (Date.now() - started > CAP_MS) break;
  }
  const output = stack.output();
  const deliveries = stack.emulator.deliveries;
  const echoes = deliveries.filter((d) => d.topic === "customers/update");
  const tags = await db.customerTagState.findMany({ where: { shop: DEMO_SHOP } });
  const customers = new Map(
    (await db.customer.findMany({ where: { shop: DEMO_SHOP }, select: { id: true, tags: true } })).map((c) => [
      c.id,
      c.tags,
    ]),
  );
  // The echo is applied when the customer row carries the tags the app wrote.
  const notApplied = tags.filter((t) => {
    const stored = customers.get(t.customerId) ?? [];
    return !t.tags.every((tag) => stored.includes(tag));
  }).length;
  // Every scored customer has the name and email Shopify holds for them (from the backfill's customers export).
  const scored = await db.customerScore.findMany({ where: { shop: DEMO_SHOP }, select: { customerId: true } });
  const profiles = new Map(
    (
      await db.customer.findMany({
        where: { shop: DEMO_SHOP },
        select: { id: true, firstName: true, lastName: true, email: true },
      })
    ).map((c) => [c.id, c]),
  );
  const emulated = stack.emulator.shop(DEMO_SHOP);
  const withoutProfile = scored.filter(({ customerId }) => {
    const stored = profiles.get(customerId);
    const truth = emulated.customer(Number(customerId));
    return (
      !stored ||
      !truth ||
      stored.firstName !== truth.firstName ||
      stored.lastName !== truth.lastName ||
      stored.email !== truth.email
    );
  }).length;
  const report = {
    database: onPostgres ? "postgresql" : "pglite",
    concurrencyPerShop: concurrency ?? 8,
    seconds: Math.round((Date.now() - started) / 1000),
    p2028Lines: output.split("\n").filter((l) => l.includes("P2028")).length,
    errorLines: output.split("\n").filter((l) => /"level":(50|60)/.test(l)).length,
    deliveries: deliveries.length,
    echoes: echoes.length,
    non2xx: deliveries.filter((d) => d.status < 200 || d.status >= 300).length,
    webhooks: stack.emulator.webhooks.summary(),
    taggedCustomers: tags.length,
    echoNotApplied: notApplied,
    scoredCustomers: scored.length,
    scoredWithoutProfile: withoutProfile,
  };
  process.stdout.write(`MEASURE ${JSON.stringify(report)}\n`);
  await db.$disconnect();
  await stack.stop();
  await database.stop();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`measure failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
