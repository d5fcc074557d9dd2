// One write-back of bench:writeback in its own process (started by test/bench/writeback.ts under the emulator
// preload), so its peak RSS and CPU are the app's alone, apart from the emulator's. Prints one JSON line;
// BENCH_MEMORY_SERIES=1 also prints a memory time series (s:external/arrayBuffers/heapUsed MB) on stderr.
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient } from "../../app/shopify/admin-client.server";
import { runWriteBack } from "../../app/pipeline/write-back/write-back.server";
import { startCpuMeter } from "./measure";

const need = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
};

async function main() {
  const url = need("DATABASE_URL");
  const shop = need("BENCH_SHOP");
  const db = createDb(url, 4);
  const admin = createAdminClient({ shop, accessToken: need("BENCH_ACCESS_TOKEN"), logger });
  // Where the resident set goes: the V8 heap, or memory outside it (buffers, native).
  const peak = { heapMb: 0, externalMb: 0 };
  const t0 = performance.now();
  const series: string[] = [];
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (process.env.BENCH_MEMORY_SERIES)
      series.push(
        `${((performance.now() - t0) / 1000).toFixed(1)}:${(m.external / 2 ** 20).toFixed(0)}/${(m.arrayBuffers / 2 ** 20).toFixed(0)}/${(m.heapUsed / 2 ** 20).toFixed(0)}`,
      );
    peak.heapMb = Math.max(peak.heapMb, m.heapTotal / 2 ** 20);
    peak.externalMb = Math.max(peak.externalMb, (m.external + m.arrayBuffers) / 2 ** 20);
  }, 50);
  // The worker that runs write-backs keeps its pool connected: the process's first connection is not the run's.
  await db.$queryRawUnsafe("SELECT 1");
  const cpu = await startCpuMeter(url);
  const started = performance.now();
  const outcome = await runWriteBack({ db, admin, logger }, shop, { pollMs: 500 });
  const seconds = (performance.now() - started) / 1000;
  const used = await cpu();
  clearInterval(sampler);
  if (series.length > 0) process.stderr.write(`${series.filter((_, i) => i % 10 === 0).join(" ")}\n`);
  await db.$disconnect();
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      scope: outcome.scope,
      tags: { mode: outcome.tags.mode, changed: outcome.tags.customersChanged, points: outcome.tags.pointsSpent },
      metafields: {
        mode: outcome.metafields.mode,
        changed: outcome.metafields.customersChanged,
        points: outcome.metafields.pointsSpent,
      },
      segments: outcome.segments.created + outcome.segments.updated,
      refused: outcome.tags.failures.length + outcome.metafields.failures.length,
      // resourceUsage().maxRSS: this process's peak resident set, in KiB.
      rssMb: process.resourceUsage().maxRSS / 1024,
      ...peak,
      cpuApp: used.app,
      cpuDb: used.db,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`write-back failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
