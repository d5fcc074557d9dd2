import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  startAdminEmulator,
  type AdminEmulator,
  type AdminEmulatorOptions,
  type EmulatedApp,
} from "../emulator/server";
import type { DatasetSpec } from "../emulator/generator";
import { workerNodeFlags } from "../../app/cli/build-worker";
import type { ShopPlan } from "../emulator/cost";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const DEMO_APP: EmulatedApp = {
  apiKey: "rfm-demo-client-id",
  secret: "rfm-demo-client-secret",
  handle: "rfm-segments",
  name: "RFM Segments",
  scopes:
    "read_orders,read_all_orders,read_customers,write_customers,write_discounts,write_pixels,read_customer_events",
};

export const DEMO_SHOP = "rfm-demo.myshopify.com";

export interface DemoStackOptions {
  /** The database the app uses (the demo starts an embedded one when absent). */
  databaseUrl: string;
  /**
   * "development" (the default, what the tests use): Vite compiles each route on its first request, with hot reload.
   * "production": the app as `npm start` runs it — NODE_ENV=production serving build/ (built first when older than
   * app/, see ensureProductionBuild) — so the first page load is as fast as the hundredth; the demo and the benchmarks
   * use it. Either way the emulated admin comes in only through the emulator preload (test/emulator/preload.ts).
   */
  mode?: "development" | "production";
  appPort?: number;
  emulatorPort?: number;
  dataset?: Partial<DatasetSpec>;
  plan?: ShopPlan;
  logLevel?: string;
  /** Extra environment for the app process. */
  env?: Record<string, string>;
  /**
   * The emulator's webhook delivery settings (clock, concurrency per shop, shuffling, answer timeout). Test stacks wait
   * 30 s for the app's answer: they share a loaded machine, and a slow answer there would turn into a retry a minute
   * later; Shopify's 5 s (the default of `deliveries.ts`, tested there on a test clock) is what the demo uses.
   */
  webhooks?: AdminEmulatorOptions["webhooks"];
}

export const TEST_STACK_RESPONSE_TIMEOUT_MS = 30_000;

/** The environment of the app process: strings, NODE_ENV one of Node's three. */
export type AppEnv = Record<string, string> & { NODE_ENV: "development" | "production" | "test" };

export interface DemoStack {
  mode: "development" | "production";
  /** The production build: whether this start built it and how long that took (development: null). */
  build: ProductionBuild | null;
  appUrl: string;
  /** The environment the app process got (a separate `npm run worker` for the same app starts with it). */
  appEnv: AppEnv;
  emulator: AdminEmulator;
  adminUrl: string;
  app: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ProductionBuild {
  built: boolean;
  ms: number;
}

/** What the production build is made from: a change to any of these makes build/ stale. */
const BUILD_INPUTS = ["app", "vite.config.ts", "tsconfig.json", "package-lock.json"];

function newestChange(entry: string): number {
  const stat = statSync(entry);
  // Test files are never part of the build (the Remix config ignores them as routes too).
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(entry) ? 0 : stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, name)));
  return newest;
}

/**
 * `npm run build` (remix vite:build, ~8 s on this project) unless build/ is newer than every file it is made from.
 * Exported for scripts that serve the build themselves.
 */
export async function ensureProductionBuild(): Promise<ProductionBuild> {
  const started = performance.now();
  const output = path.join(ROOT, "build", "server", "index.js");
  const inputs = Math.max(
    ...BUILD_INPUTS.map((p) => path.join(ROOT, p))
      .filter(existsSync)
      .map(newestChange),
  );
  if (existsSync(output) && existsSync(path.join(ROOT, "build", "client")) && statSync(output).mtimeMs > inputs)
    return { built: false, ms: performance.now() - started };
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:build"],
    {
      cwd: ROOT,
      // Not vitest's variables: the Vite config must load the Remix plugin.
      env: { ...withoutVitest(process.env), NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout?.on("data", (c: Buffer) => (log += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (log += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${log.slice(-4000)}`);
  return { built: true, ms: performance.now() - started };
}

/** A child that must not outlive this process, even when it dies of an unhandled error (no cleanup runs then). */
export function killOnExit<T extends ChildProcess>(child: T): T {
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  child.once("exit", () => process.off("exit", kill));
  return child;
}

function withoutVitest(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => !e[0].startsWith("VITEST") && e[1] !== undefined),
  );
}

/**
 * One of the app's entry points (relative to the repository) in a child process that calls the emulator instead of
 * Shopify (the preload), with this process's environment minus vitest's (the app's Vite config must load the Remix
 * plugin) plus `env`; killed when this process exits.
 */
export function spawnAppProcess(entry: string, env: AppEnv): ChildProcess {
  return killOnExit(
    spawn(
      process.execPath,
      ["--import", "tsx", "--import", path.join(ROOT, "test/emulator/preload.ts"), path.join(ROOT, entry)],
      { cwd: ROOT, env: { ...withoutVitest(process.env), ...env }, stdio: ["ignore", "pipe", "pipe"] },
    ),
  );
}

/**
 * A bundled entry (`buildNodeEntries`, app/cli/build-worker.ts) under plain node with the bundled emulator preload:
 * as spawnAppProcess, without a TypeScript loader in the process — its memory and CPU are the app's — and with the
 * node options the built worker runs with.
 */
export function spawnBuiltProcess(entry: string, preload: string, env: AppEnv): ChildProcess {
  return killOnExit(
    spawn(process.execPath, [...workerNodeFlags(), "--import", pathToFileURL(preload).href, entry], {
      cwd: ROOT,
      env: { ...withoutVitest(process.env), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** Emulator + app (as a child process, its Shopify traffic routed to the emulator). */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const mode = options.mode ?? "development";
  const build = mode === "production" ? await ensureProductionBuild() : null;
  const appPort = options.appPort ?? (await freePort());
  const appUrl = `http://127.0.0.1:${appPort}`;
  const emulator = await startAdminEmulator({
    app: { ...DEMO_APP, url: appUrl },
    port: options.emulatorPort,
    webhooks: { responseTimeoutMs: TEST_STACK_RESPONSE_TIMEOUT_MS, ...options.webhooks },
    shops: [
      {
        domain: DEMO_SHOP,
        name: "Demo Webwinkel",
        currencyCode: "EUR",
        ianaTimezone: "Europe/Amsterdam",
        plan: options.plan ?? "standard",
        dataset: { customers: 2_000, orders: 6_000, ...options.dataset },
      },
    ],
  });

  const appEnv: AppEnv = {
    NODE_ENV: mode,
    SHOPIFY_API_KEY: DEMO_APP.apiKey,
    SHOPIFY_API_SECRET: DEMO_APP.secret,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: DEMO_APP.scopes,
    DATABASE_URL: options.databaseUrl,
    PORT: String(appPort),
    HOST: "127.0.0.1",
    LOG_LEVEL: options.logLevel ?? "warn",
    // Read (and removed) by the preload, before the app parses its configuration.
    SHOPIFY_ADMIN_EMULATOR_URL: emulator.url,
    ...options.env,
  };
  const child = spawnAppProcess("app/platform/server/main.server.ts", appEnv);
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start within 90 s:\n${output}`)), 90_000);
    const check = () => {
      if (output.includes("READY ")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with code ${code}:\n${output}`));
    });
  });

  return {
    mode,
    build,
    appUrl,
    appEnv,
    emulator,
    adminUrl: emulator.adminUrl(DEMO_SHOP),
    app: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        });
      }
      await emulator.close();
    },
  };
}
