import type { Server } from "node:http";
import type { RequestHandler } from "express";

/**
 * SIGTERM for an HTTP server: stop accepting connections, let requests in flight finish (their answers carry
 * `Connection: close`, and idle keep-alive sockets are closed as they go idle), and after timeoutMs cut whatever is
 * left. Resolves "drained" or "forced".
 */
export function drainingServer(server: Server): {
  middleware: RequestHandler;
  close: (timeoutMs: number) => Promise<"drained" | "forced">;
} {
  let draining = false;
  return {
    // Mounted first: once draining, a request that still arrives on an open keep-alive socket is served, then the
    // socket closes.
    middleware: (_req, res, next) => {
      if (draining) res.setHeader("Connection", "close");
      next();
    },
    close: (timeoutMs) =>
      new Promise((resolve) => {
        draining = true;
        let outcome: "drained" | "forced" = "drained";
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => {
          outcome = "forced";
          server.closeAllConnections();
        }, timeoutMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve(outcome);
        });
        server.closeIdleConnections();
      }),
  };
}
