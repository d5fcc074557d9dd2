// npm run bench:writeback -- --customers 200000 [--changed 0.03]
// A shop of N scored customers written back (tags, metafields, Shopify segments) to the Admin API emulator
// (Standard plan: 100 points/s) for the first time, then a day-two run where a
// share of customers changed segment, then a run with no change. Counts API
// calls, points and wall time; the paced path's time for the same work is
// measured on a sample with the bucket's virtual clock and scaled.
// Last line: RESULT key=value …
import { parseArgs } from "node:util";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient } from "../../app/shopify/admin-client.server";
import { writeBackTags } from "../../app/pipeline/write-back/tags.server";
import { runWriteBack } from "../../app/pipeline/write-back/write-back.server";
import { startAdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";
import { benchDatabase } from "./bench-database";

const { values } = parseArgs({
  options: { customers: { type: "string", default: "200000" }, changed: { type: "string", default: "0.03" } },
});
const customers = Number(values.customers);
const changedShare = Number(values.changed);
const SHOP = "bench-tags.myshopify.com";
const SAMPLE_SHOP = "bench-tags-sample.myshopify.com";
const SAMPLE = 2_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const database = await benchDatabase("rfm_bench_writeback");
  const db = createDb(database.url, 4);
  const emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      { domain: SHOP, name: "Bench tags", plan: "standard", dataset: { customers, orders: customers, seed: 2 } },
      {
        domain: SAMPLE_SHOP,
        name: "Bench sample",
        plan: "standard",
        dataset: { customers: SAMPLE, orders: SAMPLE, seed: 2 },
      },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  const admins = new Map<string, ReturnType<typeof createAdminClient>>();
  let clock = Date.now();
  const sleep = async (ms: number) => {
    clock += ms;
  };
  for (const domain of [SHOP, SAMPLE_SHOP]) {
    const shop = emulator.shop(domain);
    shop.grantedScopes = TEST_APP.scopes.split(",");
    shop.echoTagWebhooks = false;
    if (domain === SAMPLE_SHOP) shop.setRestoreRate(100, () => clock);
    admins.set(
      domain,
      createAdminClient({
        shop: domain,
        accessToken: shop.issueToken(TEST_APP.scopes, false).access_token,
        logger,
        ...(domain === SAMPLE_SHOP ? { sleep } : {}),
      }),
    );
    await db.shop.create({ data: { shop: domain } });
    const n = domain === SHOP ? customers : SAMPLE;
    await db.$executeRawUnsafe(
      `INSERT INTO "CustomerScore" (shop, "customerId", "lastOrderDate", frequency, monetary, r, f, m, segment, "segmentSince", behaviours, "behaviourSince", "scoredRunId")
       SELECT $1, 7000000000000 + g, current_date, 1, 10, 1, 1, 1,
              (ARRAY['champions','loyal','potential_loyalist','new','promising','needs_attention','about_to_sleep','at_risk','cant_lose','hibernating','lost'])[1 + (g * 7919) % 11],
              current_date, '{}', '{}', 1
       FROM generate_series(0, $2::int - 1) g`,
      domain,
      n,
    );
  }
  await db.$executeRawUnsafe(`ANALYZE "CustomerScore"`);
  say(
    `shop: ${customers} scored customers, Standard plan (100 points/s); database: ${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"}`,
  );
  const calls = () => emulator.log.filter((l) => l.shop === SHOP).length;
  const run = async (label: string) => {
    const before = calls();
    const mutationsBefore = emulator.log.filter((l) => l.shop === SHOP && l.requestedCost >= 10).length;
    const started = Date.now();
    const { tags, metafields, segments } = await runWriteBack(
      { db, admin: admins.get(SHOP) as ReturnType<typeof createAdminClient>, logger },
      SHOP,
      { pollMs: 500 },
    );
    const seconds = (Date.now() - started) / 1000;
    const apiCalls = calls() - before;
    const points = tags.pointsSpent + metafields.pointsSpent;
    say(
      `${label}: tags ${tags.mode} (${tags.customersChanged} customers, ${tags.bulkOperations} bulk ops, ${tags.pointsSpent} points), ` +
        `metafields ${metafields.mode} (${metafields.customersChanged} customers, ${metafields.pointsSpent} points), ` +
        `segments +${segments.created} ~${segments.updated}; ${apiCalls} API calls, ${points} points, ${seconds.toFixed(1)} s, ${tags.failures.length + metafields.failures.length} refused`,
    );
    const mutationCalls = emulator.log.filter((l) => l.shop === SHOP && l.requestedCost >= 10).length - mutationsBefore;
    return {
      changed: tags.customersChanged,
      apiCalls,
      points: points + (segments.created + segments.updated) * 10,
      seconds,
      mutationCalls,
    };
  };

  const first = await run("first run");
  await db.$executeRawUnsafe(
    `UPDATE "CustomerScore" SET segment = CASE WHEN segment = 'champions' THEN 'loyal' ELSE 'champions' END
     WHERE shop = $1 AND ("customerId" * 7919) % 10000 < $2`,
    SHOP,
    Math.round(changedShare * 10_000),
  );
  const second = await run(`day two (${(changedShare * 100).toFixed(0)} % moved)`);
  const third = await run("no change");

  // The paced path on a sample, on the bucket's virtual clock, scaled to the shop.
  const sample = await writeBackTags(
    { db, admin: admins.get(SAMPLE_SHOP) as ReturnType<typeof createAdminClient>, logger, sleep, now: () => clock },
    SAMPLE_SHOP,
    {
      bulkThreshold: Number.MAX_SAFE_INTEGER,
    },
  );
  const pacedSeconds = ((sample.waitedMs / 1000 + sample.seconds) * customers) / SAMPLE;
  say(
    `paced path for comparison: ${SAMPLE} customers took ${sample.pointsSpent} points and ${(sample.waitedMs / 1000).toFixed(0)} s of bucket time → ${Math.round(pacedSeconds)} s for ${customers}`,
  );

  await emulator.close();
  await db.$disconnect();
  await database.stop();
  say(
    `RESULT customers=${customers} first_calls=${first.apiCalls} first_points=${first.points} first_seconds=${first.seconds.toFixed(1)} ` +
      `day2_changed=${second.changed} day2_calls=${second.apiCalls} day2_points=${second.points} day2_seconds=${second.seconds.toFixed(1)} ` +
      `nochange_calls=${third.apiCalls} nochange_mutation_calls=${third.mutationCalls} paced_tags_first_seconds=${Math.round(pacedSeconds)}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
