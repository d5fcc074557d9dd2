import pg from "pg";
import { env } from "../../../platform/env.server";
import { logger } from "../../../platform/logger.server";
import { pgRows } from "../../../platform/db/sql.server";
import { WEBHOOK_TOPICS } from "../webhook-topics.server";
import { createInboxWriter } from "./inbox-writer.server";
import { createKnownShops, type KnownShops } from "./known-shops.server";
import { receiveDelivery, type Answer, type IncomingDelivery } from "./receive.server";

interface InboxReceiver {
  receive: (delivery: IncomingDelivery) => Promise<Answer>;
  knownShops: KnownShops;
  close: () => Promise<void>;
}

declare global {
  var __rfmInboxReceiver: InboxReceiver | undefined;
}

function create(): InboxReceiver {
  const config = env();
  // Its own small pool: the group commit keeps one statement in flight, the second connection serves shop lookups.
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
  pool.on("error", (error) => logger.error({ err: error }, "idle PostgreSQL client of the webhook inbox failed"));
  const writer = createInboxWriter({ client: pool });
  const knownShops = createKnownShops({
    lookup: async (shop) => {
      const [row] = await pgRows(pool, "pipeline/ingest/inbox/shop-known.sql", shop);
      return row?.known ?? false;
    },
  });
  const deps = { secret: config.SHOPIFY_API_SECRET, topics: WEBHOOK_TOPICS, knownShops, writer, logger };
  return {
    receive: (delivery) => receiveDelivery(delivery, deps),
    knownShops,
    close: async () => {
      await writer.drain();
      await pool.end();
    },
  };
}

/** The process's webhook receiver (survives Vite dev reloads). */
export function inboxReceiver(): InboxReceiver {
  globalThis.__rfmInboxReceiver ??= create();
  return globalThis.__rfmInboxReceiver;
}

/** Shutdown: every delivery answered 200 is stored, then the receiver's connections close. */
export async function closeInboxReceiver(): Promise<void> {
  const receiver = globalThis.__rfmInboxReceiver;
  globalThis.__rfmInboxReceiver = undefined;
  await receiver?.close();
}

/** A shop installed (or erased) in this process: the next delivery asks the database again. */
export function forgetKnownShop(shop: string): void {
  globalThis.__rfmInboxReceiver?.knownShops.forget(shop);
}
