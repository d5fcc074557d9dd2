import { inboxReceiver } from "../pipeline/ingest/inbox/inbox-receiver.server";
import { env } from "../platform/env.server";
import { readCappedBytes } from "../platform/server/read-capped.server";

/**
 * What every webhook route's action calls; the topic is the route's path (/webhooks/orders/create). The web server
 * answers these paths before Remix (webhook-fast-path); this route serves them when Remix is reached directly.
 */
export async function webhookAction(request: Request): Promise<Response> {
  const endpointTopic = new URL(request.url).pathname.replace(/^\/webhooks\//, "");
  const body = request.method === "POST" ? await readCappedBytes(request, env().WEBHOOK_MAX_BYTES) : Buffer.alloc(0);
  const answer = await inboxReceiver().receive({
    method: request.method,
    endpointTopic,
    header: (name) => request.headers.get(name) ?? undefined,
    headerEntries: () => request.headers.entries(),
    body,
  });
  return new Response(answer.body, {
    status: answer.status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...(answer.close ? { Connection: "close" } : {}) },
  });
}
