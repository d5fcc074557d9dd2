import path from "node:path";
import { createServer, type Server } from "node:http";
import express, { type RequestHandler } from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { logger } from "../logger.server";
import { drainingServer } from "./graceful-close.server";

export interface HttpServerOptions {
  mode: "development" | "production" | "test";
  port: number;
  host: string;
  /** Project root: holds vite.config.ts and build/. */
  root: string;
  /** Proxies to trust for the client address (X-Forwarded-For); 0 = the socket's peer. */
  trustProxyHops?: number;
  /** Served before Vite and Remix, in order (the operations endpoints; the webhook fast path). */
  before?: RequestHandler[];
}

/**
 * The app's HTTP server: Remix behind Express. In development (and the demo)
 * Vite compiles routes on demand; in production the prebuilt bundle is served.
 */
export async function startHttpServer(
  options: HttpServerOptions,
): Promise<{ server: Server; url: string; close: (timeoutMs?: number) => Promise<"drained" | "forced"> }> {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxyHops) app.set("trust proxy", options.trustProxyHops);
  const server = createServer(app);
  const draining = drainingServer(server);
  app.use(draining.middleware);
  for (const handler of options.before ?? []) app.use(handler);
  let closeVite: (() => Promise<void>) | undefined;
  let build: ServerBuild | (() => Promise<ServerBuild>);

  if (options.mode === "production") {
    const buildDir = path.join(options.root, "build");
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
  } else {
    const vite = await import("vite");
    const devServer = await vite.createServer({
      root: options.root,
      configFile: path.join(options.root, "vite.config.ts"),
      // HMR rides on this server's own port, so concurrent app processes never collide.
      // cors: false — Vite's own CORS middleware would answer every preflight (without the app's headers); the routes answer them, as in production.
      server: { middlewareMode: true, hmr: { server }, cors: false },
      logLevel: "warn",
    });
    closeVite = () => devServer.close();
    app.use(devServer.middlewares);
    build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  }

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: options.mode === "production" ? "production" : "development",
      // The peer address for per-client rate limits (the public pixel endpoint); behind a proxy set Express' "trust proxy".
      getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "" }),
    }),
  );

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    // A port in use: nothing of this server may outlive the failed start.
    await closeVite?.();
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `http://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${port}`;
  logger.info({ url, mode: options.mode }, "http server listening");
  return {
    server,
    url,
    /** Stops accepting, finishes requests in flight (cut after timeoutMs), then stops Vite. */
    close: async (timeoutMs = 25_000) => {
      const outcome = await draining.close(timeoutMs);
      await closeVite?.();
      return outcome;
    },
  };
}
