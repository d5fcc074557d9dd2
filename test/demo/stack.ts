import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  startAdminEmulator,
  type AdminEmulator,
  type AdminEmulatorOptions,
  type EmulatedApp,
} from "../emulator/server";
import type { DatasetSpec } from "../emulator/generator";
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

/** Emulator + app (as a child process, its Shopify traffic routed to the emulator). */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
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
    NODE_ENV: "development",
    SHOPIFY_API_KEY: DEMO_APP.apiKey,
    SHOPIFY_API_SECRET: DEMO_APP.secret,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: DEMO_APP.scopes,
    DATABASE_URL: options.databaseUrl,
    PORT: String(appPort),
    HOST: "127.0.0.1",
    LOG_LEVEL: options.logLevel ?? "warn",
    SHOPIFY_ADMIN_EMULATOR_URL: emulator.url,
    ...options.env,
  };
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      path.join(ROOT, "test/emulator/preload.ts"),
      path.join(ROOT, "app/platform/server/main.server.ts"),
    ],
    {
      cwd: ROOT,
      env: {
        // Not vitest's variables: the app's Vite config must load the Remix plugin.
        ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST"))),
        ...appEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
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
