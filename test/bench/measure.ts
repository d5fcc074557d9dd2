// Shared measuring for the bulk benchmarks: a measured phase runs several times and the median is reported
// (this machine is shared; one run says little), and CPU seconds — of this process and of the PostgreSQL
// backends serving the benchmark's database — are reported beside wall time, because load moves CPU time far
// less than it moves seconds.
import { readFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import os from "node:os";
import pg from "pg";

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** user + system CPU seconds of a process, from /proc (Linux); null when it is gone or not ours to read. */
async function processCpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

async function backendCpu(
  client: pg.Client,
  database: string,
  excludeApplication: string | null,
): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
       AND ($2::text IS NULL OR application_name IS DISTINCT FROM $2)`,
    [database, excludeApplication],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const seconds = await processCpuSeconds(pid);
    if (seconds !== null) cpu.set(pid, seconds);
  }
  return cpu;
}

export interface CpuSeconds {
  /** This process (and any extra pids given), user + system. */
  app: number;
  /** PostgreSQL backends connected to the benchmark's database at the end of the phase. */
  db: number;
}

/**
 * Starts a CPU meter. Backends are found through pg_stat_activity by database name, so other work on the same
 * server is not counted; a backend that connects and exits inside the phase is missed (the benchmarks keep
 * their pools open). With the embedded database (no server to ask) `db` is 0 and the PGlite process — this one
 * or a child given in `extraPids` — carries the cost. `excludeApplication`: backends with that application_name
 * (other load on the same database, e.g. a second shop's webhooks) are not counted.
 */
export async function startCpuMeter(
  databaseUrl: string | null,
  extraPids: () => number[] = () => [],
  excludeApplication: string | null = null,
): Promise<() => Promise<CpuSeconds>> {
  const client = databaseUrl && process.env.DATABASE_URL ? new pg.Client({ connectionString: databaseUrl }) : null;
  const database = databaseUrl ? new URL(databaseUrl).pathname.slice(1) : "";
  await client?.connect();
  const appStart = process.cpuUsage();
  const extraStart = new Map<number, number>();
  for (const pid of extraPids()) extraStart.set(pid, (await processCpuSeconds(pid)) ?? 0);
  const dbStart = client ? await backendCpu(client, database, excludeApplication) : new Map<number, number>();
  return async () => {
    const app = process.cpuUsage(appStart);
    let extra = 0;
    for (const pid of extraPids()) extra += ((await processCpuSeconds(pid)) ?? 0) - (extraStart.get(pid) ?? 0);
    let db = 0;
    if (client) {
      for (const [pid, seconds] of await backendCpu(client, database, excludeApplication))
        db += seconds - (dbStart.get(pid) ?? 0);
      await client.end();
    }
    return { app: (app.user + app.system) / 1e6 + extra, db };
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Runs a measured phase `times` times; each run returns its figures; the result is the per-key median. */
export async function medianOf<K extends string>(
  times: number,
  run: (repetition: number) => Promise<Record<K, number>>,
  say: (line: string) => void = () => {},
): Promise<{ median: Record<K, number>; runs: Record<K, number>[] }> {
  const runs: Record<K, number>[] = [];
  for (let i = 0; i < times; i++) {
    const figures = await run(i);
    runs.push(figures);
    say(
      `  run ${i + 1}/${times}: ${Object.entries(figures)
        .map(([k, v]) => `${k}=${typeof v === "number" ? +v.toFixed(3) : String(v)}`)
        .join(" ")}`,
    );
  }
  const first = runs[0];
  if (!first) throw new Error("medianOf needs at least one run");
  const keys = Object.keys(first) as K[];
  const result = {} as Record<K, number>;
  for (const key of keys) result[key] = median(runs.map((r) => r[key]));
  return { median: result, runs };
}

/** The three load averages, said beside every figure: on this shared machine they explain wall times. */
export function loadAverageLine(): string {
  return `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}
