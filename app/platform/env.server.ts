import { z } from "zod";
import { emulatedAdmin, type EmulatedAdmin } from "./emulated-admin.server";

const csv = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const DatabaseUrl = z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string");

const EnvFields = {
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "the app's client id from the Partner Dashboard"),
  SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret from the Partner Dashboard"),
  SHOPIFY_APP_URL: z.url("the public HTTPS URL Shopify reaches the app at"),
  SCOPES: csv,
  DATABASE_URL: DatabaseUrl,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Proxies in front of the app (load balancer = 1): the client address for rate limits comes from X-Forwarded-For only through these. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  // "inline": the pg-boss worker runs inside the web process; "off": run `npm run worker` separately.
  WORKER_MODE: z.enum(["inline", "off"]).default("inline"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** What a worker process runs: everything, only the webhook inbox applier, or only the pg-boss jobs. */
  WORKER_ROLE: z.enum(["all", "inbox", "jobs"]).default("all"),
  /** Webhook inbox drain loops per worker process (unset: WORKER_CONCURRENCY). */
  INBOX_APPLIER_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** A first backfill of at least this many orders is split into concurrent exports (unset: SPLIT_MIN_ORDERS). */
  SYNC_SPLIT_MIN_ORDERS: z.coerce.number().int().min(1).optional(),
  /** Inbox events applied per batch transaction. */
  INBOX_APPLIER_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** Tests only (kill -9 at a point inside a batch transaction): the applier stops there. Production refuses it. */
  RFM_TEST_APPLIER_PAUSE_AT: z.enum(["claimed", "aggregated", "before-commit"]).optional(),
  SHOP_CUSTOM_DOMAIN: z.string().min(1).optional(),
  // Tests only: the local Shopify admin emulator that frames the app and serves its App Bridge stand-in, for an app
  // started without the emulator preload. Production refuses it (the demo's production build gets the emulator
  // through the preload, see emulated-admin.server.ts).
  SHOPIFY_ADMIN_EMULATOR_URL: z.url().optional(),
  WEBHOOK_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Where `npm start` keeps the embedded PGlite database when DATABASE_URL is unset ("memory://" = throwaway). */
  PGLITE_DATA_DIR: z.string().min(1).optional(),
  /** Bearer token that unlocks GET /metrics; unset = /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** SIGTERM: how long in-flight requests and the running job get before the process exits anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
  /** How long a token exchange with Shopify may take before the request answers 503. */
  SHOPIFY_TOKEN_EXCHANGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * How long applied webhook inbox rows (and their InboxBatch rows) are kept. Shopify retries a delivery for up to
   * 4 h and the inbox's unique keys drop those retries only while the row exists, so it may not go below 5 h; a retry
   * after the prune is applied again, harmlessly (every change is a state: newest wins, tombstones, upserts by id).
   */
  WEBHOOK_INBOX_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 30)
    .default(6),
} as const;

function refine(
  env: {
    NODE_ENV: string;
    SHOPIFY_APP_URL: string;
    SHOPIFY_ADMIN_EMULATOR_URL?: string;
    RFM_TEST_APPLIER_PAUSE_AT?: string;
  },
  ctx: z.RefinementCtx,
) {
  if (env.NODE_ENV === "production" && env.RFM_TEST_APPLIER_PAUSE_AT) {
    ctx.addIssue({
      code: "custom",
      path: ["RFM_TEST_APPLIER_PAUSE_AT"],
      message: "cannot be set in production: it stops the webhook applier",
    });
  }
  if (env.NODE_ENV === "production" && env.SHOPIFY_ADMIN_EMULATOR_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["SHOPIFY_ADMIN_EMULATOR_URL"],
      message: "cannot be set in production: only the real Shopify admin may embed the app",
    });
  }
  // Under the emulator preload (the demo on the production build) the app is served on plain http://127.0.0.1.
  if (env.NODE_ENV === "production" && !env.SHOPIFY_APP_URL.startsWith("https://") && !emulatedAdmin()) {
    ctx.addIssue({ code: "custom", path: ["SHOPIFY_APP_URL"], message: "must be https:// in production" });
  }
}

const EnvSchema = z.object(EnvFields).superRefine(refine);
/** `npm start` without DATABASE_URL starts the embedded database, so there it may be missing. */
const StartupEnvSchema = z.object({ ...EnvFields, DATABASE_URL: DatabaseUrl.optional() }).superRefine(refine);

export type Env = z.infer<typeof EnvSchema>;
export type StartupEnv = z.infer<typeof StartupEnvSchema>;

/** One line naming every bad variable, e.g. "Invalid environment: SCOPES is required; PORT: …". */
export class InvalidEnvironmentError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment: ${problems.join("; ")}`);
    this.name = "InvalidEnvironmentError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  return parseWith(EnvSchema, source);
}

/**
 * What `npm start` checks before it starts or migrates anything: the whole environment, DATABASE_URL optional
 * (unset = the embedded database).
 */
export function parseStartupEnv(source: Record<string, string | undefined>): StartupEnv {
  return parseWith(StartupEnvSchema, source);
}

function parseWith<T>(schema: z.ZodType<T>, source: Record<string, string | undefined>): T {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const missing = issue.code === "invalid_type" && source[name] === undefined;
        return missing ? `${name} is required` : `${name}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment; throws a readable error naming every bad variable. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Where the emulated admin is, when the app runs under the demo or tests: registered by the emulator preload, or (not
 * in production) named by SHOPIFY_ADMIN_EMULATOR_URL.
 */
export function adminEmulator(config: Env = env()): EmulatedAdmin | null {
  const registered = emulatedAdmin();
  if (registered) return registered;
  if (!config.SHOPIFY_ADMIN_EMULATOR_URL || config.NODE_ENV === "production") return null;
  const url = new URL(config.SHOPIFY_ADMIN_EMULATOR_URL);
  return { appBridgeUrl: new URL("/app-bridge.js", url).toString(), origin: url.origin };
}
