import { z } from "zod";
import type { Db } from "../../platform/db.server";
import { logger } from "../../platform/logger.server";
import { replayDeadLetters } from "../../pipeline/ingest/inbox/dead-letters.server";

const Replay = z.object({
  seq: z
    .string()
    .regex(/^[1-9]\d{0,18}$/)
    .optional(),
});

/** The dead-letter card's Retry: every set-aside event of the shop (or the one seq) back into the queue. */
export async function inboxReplayAction(db: Db, shop: string, request: Request) {
  const parsed = Replay.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return new Response("Unknown request", { status: 400 });
  const replayed = await replayDeadLetters({ db, logger }, shop, parsed.data.seq ? BigInt(parsed.data.seq) : null);
  return { ok: true, replayed };
}
