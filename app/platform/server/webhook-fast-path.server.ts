import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";

/** The parts of a webhook request the receiver needs (app/pipeline/ingest/inbox/receive.server.ts's IncomingDelivery). */
export interface RawWebhook {
  method: string;
  endpointTopic: string;
  header: (name: string) => string | undefined;
  headerEntries: () => Iterable<[string, string]>;
  body: Buffer | null;
}

export interface FastPathOptions {
  /** The topics with an endpoint (/webhooks/<topic>); other paths go on to Remix. */
  topics: ReadonlySet<string>;
  maxBytes: number;
  receive: (webhook: RawWebhook) => Promise<{ status: number; body: string; close?: boolean }>;
}

/** The body, or null once it passes maxBytes (declared or streamed); the rest is left unread (the answer closes). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

/**
 * Webhooks answered before Express' router and Remix: no Web Request/Response objects, no route matching — verify,
 * store once, answer. Every topic keeps its Remix route (app/routes/webhooks.*), which calls the same receiver.
 */
export function webhookFastPath(options: FastPathOptions): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "POST" || !req.path.startsWith("/webhooks/")) return next();
    const endpointTopic = req.path.slice("/webhooks/".length);
    if (!options.topics.has(endpointTopic)) return next();
    readBody(req, options.maxBytes)
      .then((body) =>
        options.receive({
          method: req.method,
          endpointTopic,
          header: (name) => {
            const value = req.headers[name];
            return Array.isArray(value) ? value[0] : value;
          },
          headerEntries: function* () {
            for (const [name, value] of Object.entries(req.headers)) {
              if (typeof value === "string") yield [name, value];
            }
          },
          body,
        }),
      )
      .then((answer) => {
        res.status(answer.status);
        res.setHeader("Content-Type", "text/plain; charset=utf-8");
        if (answer.close) res.setHeader("Connection", "close");
        res.end(answer.body);
      })
      .catch(next);
  };
}
