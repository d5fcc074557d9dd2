import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { ROOT } from "../demo/stack";

// `npm run inbox` as an operator runs it: a real process against the test database.

const db = createDb(process.env.DATABASE_URL as string, 2);
const SHOP = "inbox-cli.myshopify.com";
const OTHER_SHOP = "inbox-cli-other.myshopify.com";
afterAll(() => db.$disconnect());

function inbox(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "app/cli/inbox.ts"), ...args], {
      cwd: ROOT,
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST"))),
        NODE_ENV: "development",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

const seqs: bigint[] = [];
beforeAll(async () => {
  for (const [shop, i, dead] of [
    [SHOP, 1, true],
    [SHOP, 2, false],
    [SHOP, 3, true],
    [OTHER_SHOP, 4, true],
  ] as const) {
    const row = await db.webhookInbox.create({
      data: {
        shop,
        webhookId: `cli-${i}`,
        topic: "orders/updated",
        headers: {},
        body: "{}",
        ...(dead ? { attempts: 3, lastError: `value out of range\nfor order ${i}`, deadAt: new Date() } : {}),
      },
    });
    seqs.push(row.seq);
  }
});

describe("npm run inbox", () => {
  it("GIVEN dead letters in two shops WHEN listed for one shop THEN one line each with topic, times, attempts and the error on one line", async () => {
    const { code, out } = await inbox(["dead-letters", "--shop", SHOP]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${SHOP}\\t${seqs[0]}\\torders/updated\\treceived \\S+\\tset aside \\S+\\tattempts 3\\tvalue out of range for order 1$`,
      ),
    );
    expect(lines[1]).toContain(`\t${seqs[2]}\t`);
    expect(lines[2]).toBe("2 dead letters");
  }, 60_000);

  it("GIVEN a dead letter WHEN replayed by seq THEN only it is queued again, a log line names it, and the list shrinks", async () => {
    const { code, out } = await inbox(["replay", "--shop", SHOP, "--seq", String(seqs[0])]);
    expect(code).toBe(0);
    expect(out).toContain(`1 event of ${SHOP} queued again`);
    expect(out).toContain('"msg":"inbox dead letters replayed"');
    expect(
      await db.webhookInbox.findUniqueOrThrow({ where: { shop_seq: { shop: SHOP, seq: seqs[0] ?? 0n } } }),
    ).toMatchObject({
      deadAt: null,
      attempts: 0,
    });
    const all = await inbox(["dead-letters"]);
    expect(all.out).toContain(`${SHOP}\t${seqs[2]}\t`);
    expect(all.out).toContain(`${OTHER_SHOP}\t${seqs[3]}\t`);
    expect(all.out).not.toContain(`\t${seqs[0]}\t`);
  }, 60_000);

  it("GIVEN replay without --shop or an unknown command THEN usage on stderr and exit code 2", async () => {
    for (const args of [["replay"], ["purge"], ["replay", "--shop", SHOP, "--seq", "abc"]]) {
      const { code, err } = await inbox(args);
      expect(code).toBe(2);
      expect(err).toMatch(/npm run inbox|--seq/);
    }
  }, 60_000);
});
