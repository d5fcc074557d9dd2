// npm run bench:writeback -- --customers 200000 [--changed 0.03] [--repetitions 3] [--database NAME]
// A shop of N scored customers written back (tags, metafields, Shopify segments) to the Admin API emulator
// (Standard plan: 100 points/s): a first run, a day-two run where a share of customers changed segment (marked for
// write-back as a re-score marks them), then a run with no change. Each repetition starts from a fresh clone of a
// seeded template and a fresh emulator, asserts its preconditions, and runs every write-back in its own process
// (test/bench/writeback-run.ts), so the app's peak RSS and CPU are measured apart from the emulator's; figures are
// medians over the repetitions. CPU is user + system of the write-back process and its PostgreSQL backends, per
// 1 M scored customers; the emulator's CPU (this process, while a write-back runs) is shown beside it. The paced
// path's time for the first run is measured on a sample with the bucket's virtual clock and scaled.
// Last line: RESULT key=value …
import { once } from "node:events";
import { parseArgs } from "node:util";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient } from "../../app/shopify/admin-client.server";
import { writeBackTags } from "../../app/pipeline/write-back/tags.server";
import { markWriteBackPendingSql } from "../../app/pipeline/write-back/pending.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";
import { spawnBuiltProcess } from "../demo/stack";
import { buildNodeEntries } from "../../app/cli/build-worker";
import { benchTemplate } from "./bench-database";
import { medianOf } from "./measure";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "200000" },
    changed: { type: "string", default: "0.03" },
    repetitions: { type: "string", default: "3" },
    database: { type: "string", default: "rfm_bench_writeback" },
  },
});
const customers = Number(values.customers);
const changedShare = Number(values.changed);
const repetitions = Number(values.repetitions);
const SHOP = "bench-tags.myshopify.com";
const SAMPLE_SHOP = "bench-tags-sample.myshopify.com";
const SAMPLE = 2_000;
const say = (line: string) => process.stdout.write(`${line}\n`);
const perMillion = (cpu: number) => (cpu * 1_000_000) / customers;

const SEGMENTS = `(ARRAY['champions','loyal','potential_loyalist','new','promising','needs_attention','about_to_sleep','at_risk','cant_lose','hibernating','lost'])`;

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`precondition failed: ${message}`);
}

async function seed(url: string) {
  const db = createDb(url, 1);
  for (const [domain, n] of [
    [SHOP, customers],
    [SAMPLE_SHOP, SAMPLE],
  ] as const) {
    await db.shop.create({ data: { shop: domain } });
    await db.$executeRawUnsafe(
      `INSERT INTO "CustomerScore" (shop, "customerId", "lastOrderDate", frequency, monetary, r, f, m, segment, "segmentSince", behaviours, "behaviourSince", "scoredRunId")
       SELECT $1, 7000000000000 + g, current_date, 1, 10, 1, 1, 1, ${SEGMENTS}[1 + (g * 7919) % 11], current_date, '{}', '{}', 1
       FROM generate_series(0, $2::int - 1) g`,
      domain,
      n,
    );
  }
  await db.$executeRawUnsafe(`ANALYZE "CustomerScore"`);
  await db.$disconnect();
}

interface RunFigures {
  seconds: number;
  scope: string;
  tags: { mode: string; changed: number; points: number };
  metafields: { mode: string; changed: number; points: number };
  segments: number;
  refused: number;
  rssMb: number;
  heapMb: number;
  externalMb: number;
  cpuApp: number;
  cpuDb: number;
  ms: Record<string, number>;
}

/** One write-back in its own process (the bundled harness under plain node, as the built worker runs); its JSON line. */
async function writeBackProcess(
  built: { run: string; preload: string },
  emulator: AdminEmulator,
  url: string,
  token: string,
): Promise<RunFigures> {
  const child = spawnBuiltProcess(built.run, built.preload, {
    NODE_ENV: "production",
    DATABASE_URL: url,
    // Info: the write-back's own log line says where its time went (ms per phase).
    LOG_LEVEL: "info",
    SHOPIFY_ADMIN_EMULATOR_URL: emulator.url,
    BENCH_SHOP: SHOP,
    BENCH_ACCESS_TOKEN: token,
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (err += c.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`write-back process exited ${code}: ${err.slice(-2000)}`);
  if (process.env.BENCH_MEMORY_SERIES) process.stdout.write(err);
  const lines = out.trim().split("\n");
  const done = lines.find((l) => l.includes('"write-back done"'));
  const ms = done ? (JSON.parse(done) as { ms?: Record<string, number> }).ms : undefined;
  return { ...(JSON.parse(lines.at(-1) ?? "") as RunFigures), ms: ms ?? {} };
}

async function main() {
  // Bundled like the worker (npm run build:worker): no TypeScript loader in the measured process.
  const [run, preload] = await buildNodeEntries(
    { "writeback-run": "test/bench/writeback-run.ts", "emulator-preload": "test/emulator/preload.ts" },
    "build/bench",
  );
  if (!run || !preload) throw new Error("bench build produced no entries");
  const built = { run, preload };
  const template = await benchTemplate(values.database, `scores=${customers}+${SAMPLE}`, seed);
  say(
    `shop: ${customers} scored customers, Standard plan (100 points/s); database: ${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"}; ${repetitions} repetitions`,
  );
  const moved = Math.round(changedShare * 10_000);
  let lastUrl = "";
  const { median } = await medianOf(
    repetitions,
    async () => {
      const url = await template.fresh();
      lastUrl = url;
      const db = createDb(url, 2);
      const emulator = await startAdminEmulator({
        app: TEST_APP,
        shops: [
          { domain: SHOP, name: "Bench tags", plan: "standard", dataset: { customers, orders: customers, seed: 2 } },
        ],
      });
      const shop = emulator.shop(SHOP);
      shop.grantedScopes = TEST_APP.scopes.split(",");
      shop.echoTagWebhooks = false;
      const token = shop.issueToken(TEST_APP.scopes, false).access_token;
      const calls = () => emulator.log.filter((l) => l.shop === SHOP).length;
      const mutationCalls = () => emulator.log.filter((l) => l.shop === SHOP && l.requestedCost >= 10).length;
      const pending = () => db.writeBackPending.count({ where: { shop: SHOP } });
      const phase = async (label: string) => {
        const [c, m] = [calls(), mutationCalls()];
        const harness = process.cpuUsage();
        const f = await writeBackProcess(built, emulator, url, token);
        // This process only hosts the emulator while the write-back runs: its CPU is the emulated Shopify's.
        const used = process.cpuUsage(harness);
        const cpuEmulator = (used.user + used.system) / 1e6;
        const apiCalls = calls() - c;
        say(
          `  ${label}: ${f.scope}; tags ${f.tags.mode} (${f.tags.changed} customers), metafields ${f.metafields.mode} (${f.metafields.changed}), ` +
            `segments ${f.segments}; ${apiCalls} API calls, ${f.seconds.toFixed(2)} s, app RSS ${f.rssMb.toFixed(0)} MB (heap ${f.heapMb.toFixed(0)}, external ${f.externalMb.toFixed(0)}), ` +
            `CPU app ${f.cpuApp.toFixed(2)} s + db ${f.cpuDb.toFixed(2)} s (emulator ${cpuEmulator.toFixed(2)} s), ${f.refused} refused; ms ${JSON.stringify(f.ms)}`,
        );
        return { ...f, cpuEmulator, apiCalls, mutationCalls: mutationCalls() - m };
      };
      try {
        // A first run starts empty: nothing written, nothing marked.
        check((await db.customerTagState.count({ where: { shop: SHOP } })) === 0, "first run: no tag state");
        check((await db.customerMetafieldState.count({ where: { shop: SHOP } })) === 0, "first run: no metafields");
        check(calls() === 0, "first run: a fresh emulator");
        const first = await phase("first run");
        check(first.scope === "full" && first.tags.changed === customers, "first run writes every customer");

        const changed = await db.$executeRawUnsafe(
          `UPDATE "CustomerScore" SET segment = CASE WHEN segment = 'champions' THEN 'loyal' ELSE 'champions' END
           WHERE shop = $1 AND ("customerId" * 7919) % 10000 < $2`,
          SHOP,
          moved,
        );
        // Marked as the re-score that changed them marks them.
        await db.$executeRawUnsafe(
          markWriteBackPendingSql(
            `SELECT "customerId" FROM "CustomerScore" WHERE shop = $1 AND ("customerId" * 7919) % 10000 < $2`,
          ),
          SHOP,
          moved,
        );
        check((await pending()) === changed, `day two: ${changed} customers marked`);
        const day2 = await phase(`day two (${(changedShare * 100).toFixed(0)} % moved)`);
        check(day2.scope === "changed" && day2.tags.changed === changed, "day two writes exactly the moved customers");

        check((await pending()) === 0, "no change: nothing marked");
        const nochange = await phase("no change");
        check(nochange.mutationCalls === 0 && nochange.tags.changed === 0, "no change writes nothing");
        return {
          first_seconds: first.seconds,
          first_calls: first.apiCalls,
          first_points: first.tags.points + first.metafields.points + first.segments * 10,
          first_cpu_s_per_1m: perMillion(first.cpuApp + first.cpuDb),
          day2_changed: changed,
          day2_seconds: day2.seconds,
          day2_calls: day2.apiCalls,
          day2_points: day2.tags.points + day2.metafields.points + day2.segments * 10,
          day2_cpu_s_per_1m: perMillion(day2.cpuApp + day2.cpuDb),
          day2_emulator_cpu_s: day2.cpuEmulator,
          nochange_seconds: nochange.seconds,
          nochange_calls: nochange.apiCalls,
          nochange_mutation_calls: nochange.mutationCalls,
          nochange_cpu_s_per_1m: perMillion(nochange.cpuApp + nochange.cpuDb),
          app_peak_rss_mb: Math.max(first.rssMb, day2.rssMb, nochange.rssMb),
        };
      } finally {
        await emulator.close();
        await db.$disconnect();
      }
    },
    say,
  );

  // The paced path on a sample, on the bucket's virtual clock, scaled to the shop.
  const emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      {
        domain: SAMPLE_SHOP,
        name: "Bench sample",
        plan: "standard",
        dataset: { customers: SAMPLE, orders: SAMPLE, seed: 2 },
      },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  let clock = Date.now();
  const sleep = async (ms: number) => {
    clock += ms;
  };
  const sampleShop = emulator.shop(SAMPLE_SHOP);
  sampleShop.grantedScopes = TEST_APP.scopes.split(",");
  sampleShop.echoTagWebhooks = false;
  sampleShop.setRestoreRate(100, () => clock);
  const db = createDb(lastUrl, 2);
  const sample = await writeBackTags(
    {
      db,
      admin: createAdminClient({
        shop: SAMPLE_SHOP,
        accessToken: sampleShop.issueToken(TEST_APP.scopes, false).access_token,
        logger,
        sleep,
      }),
      logger,
      sleep,
      now: () => clock,
    },
    SAMPLE_SHOP,
    { bulkThreshold: Number.MAX_SAFE_INTEGER },
  );
  const pacedSeconds = ((sample.waitedMs / 1000 + sample.seconds) * customers) / SAMPLE;
  say(
    `paced path for comparison: ${SAMPLE} customers took ${sample.pointsSpent} points and ${(sample.waitedMs / 1000).toFixed(0)} s of bucket time → ${Math.round(pacedSeconds)} s for ${customers}`,
  );
  await emulator.close();
  await db.$disconnect();
  await template.stop();

  const m = median;
  say(
    `RESULT customers=${customers} repetitions=${repetitions} first_calls=${m.first_calls} first_points=${m.first_points} first_seconds=${m.first_seconds.toFixed(1)} ` +
      `first_cpu_s_per_1m=${m.first_cpu_s_per_1m.toFixed(1)} day2_changed=${m.day2_changed} day2_calls=${m.day2_calls} day2_points=${m.day2_points} ` +
      `day2_seconds=${m.day2_seconds.toFixed(2)} day2_cpu_s_per_1m=${m.day2_cpu_s_per_1m.toFixed(1)} day2_emulator_cpu_s=${m.day2_emulator_cpu_s.toFixed(2)} nochange_calls=${m.nochange_calls} ` +
      `nochange_mutation_calls=${m.nochange_mutation_calls} nochange_seconds=${m.nochange_seconds.toFixed(3)} nochange_cpu_s_per_1m=${m.nochange_cpu_s_per_1m.toFixed(2)} ` +
      `app_peak_rss_mb=${Math.round(m.app_peak_rss_mb)} paced_tags_first_seconds=${Math.round(pacedSeconds)}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
