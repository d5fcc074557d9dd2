import { z } from "zod";
import type { Db, DbTx } from "../../../platform/db.server";
import { execute, queryRows, type SqlRow } from "../../../platform/db/sql.server";
import { logger } from "../../../platform/logger.server";
import { WEBHOOK_TOPICS } from "../webhook-topics.server";
import { applyChanges, type DataChange } from "./apply-changes.server";
import type { InboxChange } from "./webhook-topic";

/** Where the kill -9 tests stop a batch (RFM_TEST_APPLIER_PAUSE_AT). */
export const PAUSE_POINTS = ["claimed", "aggregated", "before-commit"] as const;
export type PausePoint = (typeof PAUSE_POINTS)[number];

/** A failed event is set aside (dead letter) after this many attempts; the shop's later events go on. */
export const MAX_ATTEMPTS = 3;

export interface BatchDeps {
  db: Db;
  /** InboxBatch.worker: `${hostname}:${pid}`. */
  worker: string;
  /** Events per batch. */
  batchSize: number;
  /** Sends the shop's re-score job inside the batch transaction (so a commit can never lose it). */
  sendRescore?: (tx: DbTx, shop: string) => Promise<unknown>;
  pauseAt?: PausePoint;
  /**
   * Changes parsed ahead: while a batch's statements run, the events after it are parsed (the process would
   * otherwise wait idle), keyed by shop and seq. Shared by the loops of one applier.
   */
  parsedAhead?: Map<string, InboxChange>;
}

export interface BatchOutcome {
  shop: string;
  /** Events marked applied (dropped ones included). */
  events: number;
  /** Events whose change was dropped: redacted, purged, a shop we no longer hold, nothing to apply. */
  dropped: number;
  control: boolean;
  /** Customers whose aggregates were recomputed. */
  rescored: number;
  /** The batch failed and its events went one at a time; `failedSeq` is the event that failed. */
  failedSeq?: bigint;
}

type PendingRow = SqlRow<"pipeline/ingest/inbox/pending-events.sql">;
type Claim = SqlRow<"pipeline/ingest/inbox/claim-shop.sql">;

/** How long one batch transaction may take: a control event such as shop/redact of a large shop can take minutes. */
const BATCH_TIMEOUT_MS = 10 * 60_000;

async function pause(deps: BatchDeps, point: PausePoint): Promise<void> {
  if (deps.pauseAt !== point) return;
  process.stdout.write(`APPLIER PAUSED AT ${point}\n`);
  // The kill -9 tests end the process here; nothing resolves this.
  await new Promise<never>(() => undefined);
}

/** An event's change, or null when it is dropped unread (redacted, purged). Throws when it cannot be read. */
function parse(shop: string, row: PendingRow): InboxChange | null {
  if (row.redacted || row.body === null) return null;
  const topic = WEBHOOK_TOPICS[row.topic];
  if (!topic) throw new Error(`no topic definition for ${row.topic}`);
  const payload = topic.schema.parse(JSON.parse(row.body));
  return topic.change(payload, { shop, topic: row.topic, webhookId: row.webhookId });
}

const aheadKey = (shop: string, seq: bigint) => `${shop}\u0000${seq}`;

/** The change parsed ahead for this row (its redaction and purge are read fresh), or parsed now. */
function changeOf(deps: BatchDeps, shop: string, row: PendingRow): InboxChange | null {
  const key = aheadKey(shop, row.seq);
  const ahead = deps.parsedAhead?.get(key);
  if (ahead) deps.parsedAhead?.delete(key);
  if (row.redacted || row.body === null) return null;
  return ahead ?? parse(shop, row);
}

/** Parses the rows after this batch in small slices, yielding to the batch's statements in between. */
async function parseAhead(deps: BatchDeps, shop: string, rows: PendingRow[]): Promise<void> {
  const cache = deps.parsedAhead;
  if (!cache || rows.length === 0) return;
  // Entries nobody consumed (another worker applied those events) do not pile up.
  if (cache.size > 4 * deps.batchSize) cache.clear();
  for (let i = 0; i < rows.length; i += 25) {
    await new Promise((resolve) => setImmediate(resolve));
    for (const row of rows.slice(i, i + 25)) {
      try {
        const change = parse(shop, row);
        if (change) cache.set(aheadKey(shop, row.seq), change);
      } catch {
        // Left to the batch that applies it, which counts the failure.
      }
    }
  }
}

/**
 * The run this batch applies: the events up to (not including) the first control event — or that control event
 * alone when it comes first. Events that need nothing are marked applied with the run.
 */
function planRun(deps: BatchDeps, shop: string, rows: PendingRow[], known: boolean) {
  const seqs: bigint[] = [];
  const data: DataChange[] = [];
  let dropped = 0;
  let control: Extract<InboxChange, { kind: "control" }> | null = null;
  for (const row of rows) {
    if (!known) {
      seqs.push(row.seq);
      dropped++;
      continue;
    }
    const change = changeOf(deps, shop, row);
    if (change?.kind === "control") {
      if (data.length === 0) {
        control = change;
        seqs.push(row.seq);
      }
      break;
    }
    seqs.push(row.seq);
    if (change === null || change.kind === "none") dropped++;
    else data.push(change);
  }
  return { seqs, data, dropped, control };
}

/** The rows of the running batch, for the one-at-a-time retry when it fails. */
interface Attempt {
  shop?: string;
  rows: PendingRow[];
}

async function runBatch(
  deps: BatchDeps,
  claim: (tx: DbTx) => Promise<Claim | undefined>,
  limit: number,
  attempt: Attempt,
) {
  const startedAt = new Date();
  let afterCommit: (() => Promise<void>) | undefined;
  const outcome = await deps.db.$transaction(
    async (tx): Promise<BatchOutcome | null> => {
      const claimed = await claim(tx);
      if (!claimed) return null;
      attempt.shop = claimed.shop;
      await pause(deps, "claimed");
      // Twice the batch: the second half is parsed while this batch's statements run.
      const read = await queryRows(
        tx,
        "pipeline/ingest/inbox/pending-events.sql",
        claimed.shop,
        deps.parsedAhead && claimed.known ? 2 * limit : limit,
      );
      const rows = read.slice(0, limit);
      attempt.rows = rows;
      if (rows.length === 0) return null;
      const run = planRun(deps, claimed.shop, rows, claimed.known);
      const ahead = parseAhead(deps, claimed.shop, read.slice(run.seqs.length));
      let rescored = 0;
      if (run.control) {
        await run.control.apply(tx);
        afterCommit = run.control.afterCommit;
      } else if (run.data.length > 0) {
        const applied = await applyChanges(tx, claimed.shop, run.data);
        rescored = applied.rescored.length;
        await pause(deps, "aggregated");
        if (rescored > 0) await deps.sendRescore?.(tx, claimed.shop);
      }
      await queryRows(tx, "pipeline/ingest/inbox/mark-applied.sql", claimed.shop, run.seqs, deps.worker, startedAt);
      const redacted = rows.filter((r) => r.redacted && r.body !== null && run.seqs.includes(r.seq)).map((r) => r.seq);
      if (redacted.length > 0) await execute(tx, "pipeline/ingest/inbox/purge-events.sql", claimed.shop, redacted);
      await ahead;
      await pause(deps, "before-commit");
      return {
        shop: claimed.shop,
        events: run.seqs.length,
        dropped: run.dropped,
        control: run.control !== null,
        rescored,
      };
    },
    { timeout: BATCH_TIMEOUT_MS, maxWait: 30_000 },
  );
  // Follow-ups on other connections wait for the commit: the embedded database's one session is this transaction's
  // until then. A follow-up that fails is caught up by its own fallback (sync polling), not by applying again.
  await afterCommit?.().catch((error: unknown) =>
    logger.error({ err: error }, "follow-up after an inbox event failed"),
  );
  return outcome;
}

const claimNext = async (tx: DbTx) => (await queryRows(tx, "pipeline/ingest/inbox/claim-shop.sql"))[0];
const claimShop = (shop: string) => async (tx: DbTx) =>
  (await queryRows(tx, "pipeline/ingest/inbox/claim-this-shop.sql", shop))[0];

/** A deadlock or serialization failure (SQLSTATE 40P01, 40001) says nothing about the event: retried, not counted. */
const TransientFailure = z.object({
  meta: z.object({
    driverAdapterError: z.object({ cause: z.object({ originalCode: z.enum(["40P01", "40001"]) }) }),
  }),
});
const isTransient = (error: unknown) => TransientFailure.safeParse(error).success;

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

/**
 * After a failed batch: its events one per transaction, in order, until one fails — that one is counted
 * (attempts + 1, lastError) and set aside after MAX_ATTEMPTS; the next batch goes on from there.
 */
async function applyOneByOne(deps: BatchDeps, shop: string, count: number, cause: unknown): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { shop, events: 0, dropped: 0, control: false, rescored: 0 };
  for (let i = 0; i < count; i++) {
    const attempt: Attempt = { rows: [] };
    try {
      const one = await runBatch(deps, claimShop(shop), 1, attempt);
      if (!one) return outcome;
      outcome.events += one.events;
      outcome.dropped += one.dropped;
      outcome.rescored += one.rescored;
    } catch (error) {
      const failed = attempt.rows[0];
      if (!failed || isTransient(error)) throw error;
      const [counted] = await queryRows(
        deps.db,
        "pipeline/ingest/inbox/record-failure.sql",
        shop,
        failed.seq,
        message(error),
        MAX_ATTEMPTS,
      );
      const log = { shop, seq: String(failed.seq), topic: failed.topic, attempts: counted?.attempts, err: error };
      if (counted?.dead) logger.error(log, "inbox event set aside after its last attempt (dead letter)");
      else logger.warn({ ...log, batchError: message(cause) }, "inbox event failed to apply; retried later");
      outcome.failedSeq = failed.seq;
      return outcome;
    }
  }
  return outcome;
}

/**
 * One batch of the fairest shop's inbox, in one transaction: claim the shop, read its pending events in arrival
 * order, apply them set-based (or a control event alone), queue the re-score, mark them applied. Null: no shop has
 * pending events (or every such shop is being served by another worker).
 */
export async function applyNextBatch(deps: BatchDeps): Promise<BatchOutcome | null> {
  await execute(deps.db, "pipeline/ingest/inbox/ensure-inbox-shops.sql");
  const attempt: Attempt = { rows: [] };
  try {
    return await runBatch(deps, claimNext, deps.batchSize, attempt);
  } catch (error) {
    if (!attempt.shop || attempt.rows.length === 0 || isTransient(error)) throw error;
    logger.warn({ shop: attempt.shop, events: attempt.rows.length, err: error }, "inbox batch failed; one at a time");
    return applyOneByOne(deps, attempt.shop, attempt.rows.length, error);
  }
}
