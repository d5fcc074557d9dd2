import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../demo/stack";
import { TEST_APP } from "../setup/test-app";

/** The app's own environment for a spawned process: none of vitest's variables, none of the test file's. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith("VITEST") &&
        ![
          "DATABASE_URL",
          "SHOPIFY_API_KEY",
          "SHOPIFY_API_SECRET",
          "SHOPIFY_APP_URL",
          "SCOPES",
          "NODE_ENV",
          "LOG_LEVEL",
        ].includes(key),
    ),
  );
  // NODE_ENV defaults to what `npm run worker` and the demo run with.
  const env: NodeJS.ProcessEnv = { NODE_ENV: "development" };
  for (const [key, value] of Object.entries({ ...inherited, ...extra })) if (value !== undefined) env[key] = value;
  return env;
}

export const SHOPIFY_ENV = {
  SHOPIFY_API_KEY: TEST_APP.apiKey,
  SHOPIFY_API_SECRET: TEST_APP.secret,
  SHOPIFY_APP_URL: "http://127.0.0.1:1",
  SCOPES: TEST_APP.scopes,
};

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Pino lines the process logged (JSON), parsed. */
  logs: Record<string, unknown>[];
}

/** Runs one of the app's entry points (app/platform/server/<script>) to its end. */
export function runEntryPoint(script: string, env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "app/platform/server", script)],
      {
        cwd: ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once("exit", (code: number | null) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => resolve({ code, stdout, stderr, logs: pinoLines(stdout) }));
    });
  });
}

export function pinoLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** Whether a process with this pid is running the embedded database server. */
export function pgliteServerRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("pglite-server");
  } catch {
    return false;
  }
}
