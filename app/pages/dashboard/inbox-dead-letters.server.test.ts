import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../platform/db.server";
import { deadLetterSummary } from "../../pipeline/ingest/inbox/dead-letters.server";
import { inboxReplayAction } from "./inbox-dead-letters.server";

const db = createDb(process.env.DATABASE_URL as string, 2);
const SHOP = "dashboard-dead-letters.myshopify.com";
afterAll(() => db.$disconnect());

const post = (fields: Record<string, string>) =>
  new Request("https://app.example.com/app/inbox/replay", { method: "POST", body: new URLSearchParams(fields) });

describe("the dashboard's Retry on dead letters", () => {
  it("GIVEN events set aside WHEN the merchant presses Retry THEN the card's count drops to zero and they are pending again", async () => {
    await db.webhookInbox.createMany({
      data: [1, 2, 3].map((i) => ({
        shop: SHOP,
        webhookId: `dash-${i}`,
        topic: i === 3 ? "customers/update" : "orders/updated",
        headers: {},
        body: "{}",
        attempts: 3,
        lastError: `failure ${i}`,
        deadAt: new Date(),
      })),
    });
    const before = await deadLetterSummary(db, SHOP, 2);
    expect(before.count).toBe(3);
    expect(before.events.map((e) => [e.topic, e.error])).toEqual([
      ["orders/updated", "failure 1"],
      ["orders/updated", "failure 2"],
    ]);

    expect(await inboxReplayAction(db, SHOP, post({}))).toEqual({ ok: true, replayed: 3 });

    expect((await deadLetterSummary(db, SHOP)).count).toBe(0);
    expect(await db.webhookInbox.count({ where: { shop: SHOP, deadAt: null, attempts: 0, appliedAt: null } })).toBe(3);
  });

  it("GIVEN a malformed seq THEN 400 and nothing is replayed", async () => {
    const response = await inboxReplayAction(db, SHOP, post({ seq: "1; DROP TABLE" }));
    expect(response).toBeInstanceOf(Response);
    expect(response instanceof Response ? response.status : 0).toBe(400);
  });
});
