import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../../platform/db.server";
import { deadLetterSummary, listDeadLetters, replayDeadLetters } from "./dead-letters.server";

const db = createDb(process.env.DATABASE_URL as string, 2);
const SHOP = "dead-letters.myshopify.com";
const OTHER_SHOP = "dead-letters-other.myshopify.com";
afterAll(() => db.$disconnect());

/** A pino logger whose lines the test reads back. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

let n = 0;
async function event(shop: string, state: "applied" | "pending" | "dead", topic = "orders/create") {
  n += 1;
  const row = await db.webhookInbox.create({
    data: {
      shop,
      webhookId: `dl-${n}`,
      topic,
      headers: {},
      body: "{}",
      ...(state === "applied" ? { appliedAt: new Date() } : {}),
      ...(state === "dead"
        ? { attempts: 3, lastError: `order ${n}: numeric field overflow`, deadAt: new Date(Date.now() - 60_000) }
        : {}),
    },
  });
  return row.seq;
}

let dead: bigint[] = [];
let otherDead: bigint;
beforeAll(async () => {
  await event(SHOP, "applied");
  const first = await event(SHOP, "dead");
  await event(SHOP, "pending");
  dead = [first, await event(SHOP, "dead", "refunds/create")];
  otherDead = await event(OTHER_SHOP, "dead");
});

describe("inbox dead letters", () => {
  it("GIVEN a shop with dead letters among applied and pending events THEN they are listed oldest first with topic, time and error, and counted", async () => {
    const listed = await listDeadLetters(db, SHOP);
    expect(listed.map((e) => [e.seq, e.topic, e.attempts])).toEqual([
      [dead[0], "orders/create", 3],
      [dead[1], "refunds/create", 3],
    ]);
    expect(listed[0]?.lastError).toMatch(/numeric field overflow/);
    expect((await listDeadLetters(db, null)).map((e) => e.shop)).toEqual(expect.arrayContaining([SHOP, OTHER_SHOP]));

    const summary = await deadLetterSummary(db, SHOP, 1);
    expect(summary.count).toBe(2);
    expect(summary.events).toEqual([
      expect.objectContaining({
        seq: String(dead[0]),
        topic: "orders/create",
        error: expect.stringMatching(/overflow/),
      }),
    ]);
    expect((await deadLetterSummary(db, "no-inbox.myshopify.com")).count).toBe(0);
  });

  it("GIVEN dead letters WHEN one seq is replayed THEN only it is pending again with fresh attempts, and a log line says so", async () => {
    const { logger, lines } = capturingLogger();
    const first = dead[0] ?? 0n;
    expect(await replayDeadLetters({ db, logger }, SHOP, first)).toBe(1);
    const row = await db.webhookInbox.findUniqueOrThrow({ where: { shop_seq: { shop: SHOP, seq: first } } });
    expect(row).toMatchObject({ deadAt: null, attempts: 0, appliedAt: null });
    expect((await listDeadLetters(db, SHOP)).map((e) => e.seq)).toEqual([dead[1]]);
    expect(lines).toEqual([
      expect.objectContaining({ msg: "inbox dead letters replayed", shop: SHOP, events: 1, seqs: [String(first)] }),
    ]);
  });

  it("GIVEN dead letters in two shops WHEN one shop's are replayed THEN the other shop's stay set aside", async () => {
    const { logger, lines } = capturingLogger();
    expect(await replayDeadLetters({ db, logger }, SHOP)).toBe(1);
    expect(await listDeadLetters(db, SHOP)).toEqual([]);
    expect((await listDeadLetters(db, OTHER_SHOP)).map((e) => e.seq)).toEqual([otherDead]);
    // Nothing left to replay: no work and no log line.
    expect(await replayDeadLetters({ db, logger }, SHOP)).toBe(0);
    expect(lines).toHaveLength(1);
  });
});
