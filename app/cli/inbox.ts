// npm run inbox -- dead-letters [--shop <shop>.myshopify.com]
// npm run inbox -- replay --shop <shop>.myshopify.com [--seq N]
// For operators: the webhook events the applier set aside (dead letters) with their errors, and their replay after
// a fix (they go back into the shop's queue with a fresh set of attempts). Runs against DATABASE_URL.
import { parseArgs } from "node:util";
import { createDb } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { listDeadLetters, replayDeadLetters } from "../pipeline/ingest/inbox/dead-letters.server";

const USAGE = [
  "Usage: npm run inbox -- dead-letters [--shop <shop>.myshopify.com]",
  "       npm run inbox -- replay --shop <shop>.myshopify.com [--seq N]",
].join("\n");

class UsageError extends Error {}

function command() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { shop: { type: "string" }, seq: { type: "string" } },
  });
  const [name, ...rest] = positionals;
  if (rest.length > 0 || (name !== "dead-letters" && name !== "replay")) throw new UsageError(USAGE);
  const shop = values.shop ?? null;
  if (shop !== null && !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop))
    throw new UsageError(`--shop must be a <shop>.myshopify.com domain, got ${JSON.stringify(shop)}`);
  if (values.seq !== undefined && !/^[1-9]\d{0,18}$/.test(values.seq))
    throw new UsageError(`--seq must be an inbox sequence number, got ${JSON.stringify(values.seq)}`);
  const seq = values.seq === undefined ? null : BigInt(values.seq);
  if (name === "dead-letters") {
    if (seq !== null) throw new UsageError(USAGE);
    return { name, shop } as const;
  }
  if (shop === null) throw new UsageError(`replay needs --shop\n${USAGE}`);
  return { name, shop, seq } as const;
}

const oneLine = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim();

async function main() {
  const cmd = command();
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must point at the app's database");
  const db = createDb(url, 1);
  try {
    if (cmd.name === "dead-letters") {
      const events = await listDeadLetters(db, cmd.shop, 10_000);
      for (const e of events)
        process.stdout.write(
          `${e.shop}\t${e.seq}\t${e.topic}\treceived ${e.receivedAt.toISOString()}\tset aside ${e.deadAt.toISOString()}\tattempts ${e.attempts}\t${oneLine(e.lastError)}\n`,
        );
      process.stdout.write(`${events.length} dead letter${events.length === 1 ? "" : "s"}\n`);
    } else {
      const replayed = await replayDeadLetters({ db, logger }, cmd.shop, cmd.seq);
      process.stdout.write(`${replayed} event${replayed === 1 ? "" : "s"} of ${cmd.shop} queued again\n`);
      if (replayed === 0 && cmd.seq !== null) process.exitCode = 1;
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof UsageError ? "" : "inbox failed: "}${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(error instanceof UsageError ? 2 : 1);
});
