import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { logger } from "../logger.server";

export interface EmbeddedPostgres {
  url: string;
  stop: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder that keeps the data, or "memory://" for a throwaway database. */
  dataDir: string;
  /** Start from an empty database. */
  fresh?: boolean;
  port?: number;
}

const SERVER_SCRIPT = fileURLToPath(new URL("./pglite-server.ts", import.meta.url));

/**
 * Starts PGlite (PostgreSQL in WASM) behind our wire-protocol server
 * (pglite-server.ts) in a child process, so a fresh machine needs no
 * database server, and the app's event loop never runs queries itself.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const inMemory = options.dataDir.startsWith("memory://");
  if (!inMemory) {
    if (options.fresh) await rm(options.dataDir, { recursive: true, force: true });
    await mkdir(path.dirname(options.dataDir), { recursive: true });
  }
  const child = spawn(
    process.execPath,
    ["--import", "tsx", SERVER_SCRIPT, `--db=${options.dataDir}`, "--host=127.0.0.1", `--port=${options.port ?? 0}`],
    // The IPC channel is only a lifeline: pglite-server exits when it closes (this process ended, however it ended).
    { stdio: ["ignore", "pipe", "pipe", "ipc"] },
  );
  // A start that fails below (the server exits, or never says where it listens) must not leave it running.
  const failed = (error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  };
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\{.*\})/.exec(out);
      if (match?.[1]) {
        const info = JSON.parse(match[1]) as { port: number };
        resolve(info.port);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`pglite-server exited with code ${code}:\n${out}`)));
    child.once("error", reject);
  }).catch(failed);
  child.stdout?.removeAllListeners("data");
  child.stdout?.resume();
  child.stderr?.resume();
  // The lifeline must not keep this process alive on its own.
  child.channel?.unref();
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  logger.info({ dataDir: options.dataDir, port, pid: child.pid }, "embedded PostgreSQL (PGlite) started");
  return { url, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
