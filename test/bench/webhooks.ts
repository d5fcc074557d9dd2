// npm run bench:webhooks -- [--seconds 30] [--connections 16]
// Loads the app's orders/create endpoint on loopback with distinct, correctly
// signed order webhooks (autocannon), then checks that every accepted event
// was stored: zero lost. Last line: RESULT key=value …
import { createHmac, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { benchDatabase } from "./bench-database";
import { DEMO_APP, DEMO_SHOP, startDemoStack } from "../demo/stack";
import { orderPayload } from "../emulator/shapes";
import { openApp } from "../support/merchant";
import { waitFor } from "../support/wait";
import type { GeneratedOrder } from "../emulator/generator";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "30" }, connections: { type: "string", default: "16" } },
});
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const db = await benchDatabase("rfm_bench_webhooks");
  const stack = await startDemoStack({ databaseUrl: db.url, dataset: { customers: 2_000, orders: 6_000 } });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    if ((await openApp(stack)).status !== 200) throw new Error("install failed");
    await waitFor(
      "the backfill",
      async () => ((await client.query(`SELECT 1 FROM "SyncRun" WHERE status = 'completed'`)).rowCount ?? 0) > 0,
      120_000,
    );
    const template = [...stack.emulator.shop(DEMO_SHOP).orders()].find(
      (o) => o.customerId !== null && o.presentmentRate === 1,
    ) as GeneratedOrder;
    const before = Number((await client.query(`SELECT count(*) FROM "Order"`)).rows[0].count);
    const customers = Array.from({ length: 2_000 }, (_, i) => stack.emulator.shop(DEMO_SHOP).dataset.customerId(i));

    let seq = 0;
    const result = await autocannon({
      url: `${stack.appUrl}/webhooks/orders/create`,
      connections: Number(values.connections),
      duration: Number(values.seconds),
      requests: [
        {
          method: "POST",
          setupRequest: (req) => {
            const n = seq++;
            const now = new Date();
            const order: GeneratedOrder = {
              ...template,
              id: 900_000_000_000_000 + n,
              name: `#L${n}`,
              customerId: customers[n % customers.length] as number,
              createdAt: now,
              processedAt: now,
              updatedAt: now,
            };
            const body = JSON.stringify(orderPayload(order));
            const webhookId = randomUUID();
            return {
              ...req,
              body,
              headers: {
                "content-type": "application/json",
                "x-shopify-topic": "orders/create",
                "x-shopify-hmac-sha256": createHmac("sha256", DEMO_APP.secret).update(body).digest("base64"),
                "x-shopify-shop-domain": DEMO_SHOP,
                "x-shopify-api-version": "2026-10",
                "x-shopify-webhook-id": webhookId,
              },
            };
          },
        },
      ],
    });
    const after = Number((await client.query(`SELECT count(*) FROM "Order"`)).rows[0].count);
    const stored = after - before;
    const ok = result["2xx"];
    const lost = ok - stored;
    say(
      `requests: ${result.requests.total} (${ok} accepted, ${result.non2xx} refused, ${result.errors} errors, ${result.timeouts} timeouts) in ${values.seconds} s with ${values.connections} connections`,
    );
    say(
      `latency ms: p50 ${result.latency.p50}, p90 ${result.latency.p90}, p99 ${result.latency.p99}, max ${result.latency.max}`,
    );
    say(`stored orders: ${stored} new rows for ${ok} accepted webhooks`);
    say(
      `RESULT requests_per_s=${Math.round(result.requests.average)} p99_ms=${result.latency.p99} accepted=${ok} stored=${stored} lost=${lost} errors=${result.errors + result.timeouts + result.non2xx}`,
    );
  } finally {
    await client.end();
    await stack.stop();
    await db.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
