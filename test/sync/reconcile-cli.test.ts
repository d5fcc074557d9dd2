import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { DEMO_APP, DEMO_SHOP, ROOT, startDemoStack, type DemoStack } from "../demo/stack";
import { installAndBackfill } from "../support/install";
import type { GeneratedOrder } from "../emulator/generator";

let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--import",
        path.join(ROOT, "test/emulator/preload.ts"),
        path.join(ROOT, "app/cli/sync.ts"),
        ...args,
      ],
      {
        cwd: ROOT,
        env: {
          ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST"))),
          NODE_ENV: "development",
          SHOPIFY_API_KEY: DEMO_APP.apiKey,
          SHOPIFY_API_SECRET: DEMO_APP.secret,
          SHOPIFY_APP_URL: stack.appUrl,
          SCOPES: DEMO_APP.scopes,
          SHOPIFY_ADMIN_EMULATOR_URL: stack.emulator.url,
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 100, orders: 300 },
  });
  await installAndBackfill(stack, db);
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("reconciliation and `npm run sync`", () => {
  it("GIVEN orders whose webhooks never arrived THEN a reconciliation run (from the CLI, with a progress bar) catches them", async () => {
    const shop = stack.emulator.shop(DEMO_SHOP);
    const template = [...shop.orders()].find(
      (o) => o.customerId !== null && !o.test && !o.cancelledAt,
    ) as GeneratedOrder;
    const now = new Date();
    const missed: GeneratedOrder = {
      ...template,
      id: template.id + 1,
      name: "#MISSED",
      createdAt: now,
      processedAt: now,
      updatedAt: now,
      refunds: [],
      totalRefundedCents: 0,
      currentTotalCents: template.totalCents,
    };
    shop.putOrder(missed);
    const edited: GeneratedOrder = { ...template, cancelledAt: now, updatedAt: now };
    shop.putOrder(edited);

    const { code, out } = await runCli(["--shop", DEMO_SHOP, "--kind", "reconcile"]);
    expect(out).toMatch(/\[#{30}\] 100% .* orders .*completed/);
    expect(code).toBe(0);

    const run = await db.syncRun.findFirstOrThrow({ where: { shop: DEMO_SHOP, kind: "reconcile" } });
    expect(run.status).toBe("completed");
    expect(run.updatedSince).not.toBeNull();
    // Only what changed since the last sync was exported.
    expect(run.ordersIngested).toBe(2);
    expect(await db.order.count({ where: { shop: DEMO_SHOP, id: BigInt(missed.id) } })).toBe(1);
    const stored = await db.order.findUniqueOrThrow({
      where: { shop_id: { shop: DEMO_SHOP, id: BigInt(template.id) } },
    });
    expect(stored.cancelledAt?.toISOString()).toBe(now.toISOString());
    const aggregate = await db.customerAggregate.findUniqueOrThrow({
      where: { shop_customerId: { shop: DEMO_SHOP, customerId: BigInt(template.customerId as number) } },
    });
    expect(aggregate.lastOrderAt.getTime()).toBe(now.getTime());
  }, 120_000);

  it("GIVEN a bad shop argument THEN the CLI says how to call it", async () => {
    const { code, out } = await runCli(["--shop", "not a shop"]);
    expect(code).toBe(1);
    expect(out).toMatch(/Usage: npm run sync -- --shop <shop>\.myshopify\.com/);
  });
});
