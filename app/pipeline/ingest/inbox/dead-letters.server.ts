import type { Db } from "../../../platform/db.server";
import { queryRows } from "../../../platform/db/sql.server";
import type { Logger } from "../../../platform/logger.server";

/** An event the applier set aside after its last failed attempt. */
export interface DeadLetter {
  shop: string;
  seq: bigint;
  topic: string;
  webhookId: string;
  receivedAt: Date;
  deadAt: Date;
  attempts: number;
  lastError: string | null;
}

/** Dead letters oldest first, of one shop or (shop null) every shop. */
export function listDeadLetters(db: Db, shop: string | null, limit = 1000): Promise<DeadLetter[]> {
  return queryRows(db, "pipeline/ingest/inbox/dead-letters.sql", shop, limit);
}

/** What the dashboard shows: how many are set aside and the first few, in a loader-serialisable form. */
export async function deadLetterSummary(db: Db, shop: string, shown = 5) {
  const [count] = await queryRows(db, "pipeline/ingest/inbox/dead-letter-count.sql", shop);
  const first = count && count.n > 0 ? await listDeadLetters(db, shop, shown) : [];
  return {
    count: count?.n ?? 0,
    events: first.map((e) => ({
      seq: String(e.seq),
      topic: e.topic,
      receivedAt: e.receivedAt.toISOString(),
      deadAt: e.deadAt.toISOString(),
      error: e.lastError,
    })),
  };
}

export type DeadLetterSummary = Awaited<ReturnType<typeof deadLetterSummary>>;

/**
 * Replay after a fix: the shop's dead letters (or the one at seq) are pending again with a fresh set of attempts,
 * and the applier takes them in their original arrival order. Returns how many went back.
 */
export async function replayDeadLetters(
  deps: { db: Db; logger: Logger },
  shop: string,
  seq: bigint | null = null,
): Promise<number> {
  const replayed = await queryRows(deps.db, "pipeline/ingest/inbox/replay-dead-letters.sql", shop, seq);
  if (replayed.length > 0)
    deps.logger.info(
      {
        shop,
        events: replayed.length,
        seqs: replayed.map((r) => String(r.seq)),
        topics: [...new Set(replayed.map((r) => r.topic))],
      },
      "inbox dead letters replayed",
    );
  return replayed.length;
}
