import { pgRows, type PgQueryable } from "../../../platform/db/sql.server";

/** One verified delivery as the inbox stores it. */
export interface InboxRow {
  shop: string;
  webhookId: string;
  topic: string;
  eventId: string | null;
  headers: Record<string, string>;
  body: string;
  customerId: bigint | null;
  orderId: bigint | null;
}

export interface InboxWriter {
  /** Resolves once the row is durably in the inbox ("duplicate": an earlier delivery of it is); rejects if not. */
  write(row: InboxRow): Promise<"stored" | "duplicate">;
  /** Resolves when nothing is queued or in flight (shutdown: every answered delivery is stored). */
  drain(): Promise<void>;
}

export interface InboxWriterOptions {
  client: PgQueryable;
  /** Rows per statement, at most. */
  maxRows?: number;
  /** Body bytes per statement, at most (one oversized row still goes alone). */
  maxBytes?: number;
}

interface Pending {
  row: InboxRow;
  resolve: (outcome: "stored" | "duplicate") => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: deliveries arriving while a statement is in flight wait and go together in the next one, so one
 * INSERT (and one fsync) carries every delivery of the last few milliseconds. One statement in flight per process
 * also keeps seq in the order the deliveries were verified.
 */
export function createInboxWriter(options: InboxWriterOptions): InboxWriter {
  const maxRows = options.maxRows ?? 1000;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  let queue: Pending[] = [];
  let inFlight: Promise<void> | null = null;
  let idle: (() => void)[] = [];

  async function flush(batch: Pending[]): Promise<void> {
    const rows = batch.map((p) => p.row);
    try {
      const stored = await pgRows(
        options.client,
        "pipeline/ingest/inbox/insert-deliveries.sql",
        rows.map((r) => r.shop),
        rows.map((r) => r.webhookId),
        rows.map((r) => r.topic),
        rows.map((r) => r.eventId ?? ""),
        rows.map((r) => JSON.stringify(r.headers)),
        rows.map((r) => r.body),
        rows.map((r) => r.customerId ?? 0n),
        rows.map((r) => r.orderId ?? 0n),
      );
      const keys = new Set(stored.map((s) => `${s.shop}\n${s.webhookId}`));
      for (const p of batch) {
        const key = `${p.row.shop}\n${p.row.webhookId}`;
        // Two copies in one statement: the first is stored, the second skipped.
        if (keys.delete(key)) p.resolve("stored");
        else p.resolve("duplicate");
      }
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  function take(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < queue.length && n < maxRows) {
      const size = (queue[n] as Pending).row.body.length;
      if (n > 0 && bytes + size > maxBytes) break;
      bytes += size;
      n++;
    }
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    return batch;
  }

  function pump(): void {
    if (inFlight) return;
    if (queue.length === 0) {
      const waiting = idle;
      idle = [];
      for (const done of waiting) done();
      return;
    }
    inFlight = flush(take()).finally(() => {
      inFlight = null;
      pump();
    });
  }

  return {
    write(row) {
      return new Promise((resolve, reject) => {
        queue.push({ row, resolve, reject });
        pump();
      });
    },
    drain() {
      if (!inFlight && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
