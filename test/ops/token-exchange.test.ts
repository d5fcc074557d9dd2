import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { DEMO_SHOP, freePort, startDemoStack, type DemoStack } from "../demo/stack";
import { mintSessionToken } from "../emulator/session-token";
import { BROWSER_UA, embeddedAppUrl } from "../support/merchant";
import { TEST_APP } from "../setup/test-app";
import { waitFor } from "../support/wait";
import { pinoLines } from "./processes";

// A correctly signed session token whose exchange Shopify refuses, or cannot answer, gets 401 (App Bridge's re-auth)
// or 503 (try again) with the reason logged — never the library's bare 500. Real signed tokens, real HTTP.

const NEVER_SEEN = "never-seen-shop.myshopify.com";
/** Known to the emulator, but never installed: the app has no session, so it must exchange the token. */
const NOT_INSTALLED = "not-installed-yet.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
let stack: DemoStack;

/** "Shopify" that cannot answer: hangs, resets the connection, or answers 502, as told. */
let mode: "hang" | "reset" | "bad-gateway" = "hang";
let unreachable: Server;
const held: Socket[] = [];
let unreachableStack: DemoStack;

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 10, orders: 20 },
  });
  const port = await freePort();
  unreachable = createServer((socket) => {
    socket.on("error", () => undefined);
    // The mode is read when a request arrives, not when its connection opened: a kept-alive connection from an
    // earlier case serves the next one. Reset once the request is in (a reset before it is sent may be retried on a
    // new connection until the timeout).
    socket.once("data", () => {
      if (mode === "reset") socket.destroy();
      else if (mode === "bad-gateway")
        socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      else held.push(socket);
    });
  });
  await new Promise<void>((resolve) => unreachable.listen(port, "127.0.0.1", () => resolve()));
  // The same app, its Shopify traffic routed to that server instead of the emulator.
  unreachableStack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 1, orders: 1 },
    env: {
      SHOPIFY_ADMIN_EMULATOR_URL: `http://127.0.0.1:${port}`,
      SHOPIFY_TOKEN_EXCHANGE_TIMEOUT_MS: "5000",
      WORKER_MODE: "off",
    },
  });
  // Vite compiles the routes on first use (slow on a busy machine): warm both up so the timings below are the app's.
  for (const s of [stack, unreachableStack]) await fetch(`${s.appUrl}/app.data?_routes=routes%2Fapp`);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await unreachableStack?.stop();
  for (const socket of held) socket.destroy();
  await new Promise<void>((resolve) => unreachable.close(() => resolve()));
  await db.$disconnect();
});

/**
 * App Bridge's data request for the app's layout route (routes/app authenticates, and its `headers` export passes
 * Shopify's error headers through Remix).
 */
function appDataRequest(appUrl: string, token: string): Promise<Response> {
  return fetch(`${appUrl}/app.data?_routes=routes%2Fapp`, {
    headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA },
  });
}

function warnings(s: DemoStack, msg: string): Record<string, unknown>[] {
  return pinoLines(s.output()).filter((l) => l.msg === msg && l.level === 40);
}

describe("a session token Shopify refuses to exchange", () => {
  it("GIVEN a correctly signed token for a shop the app has never seen WHEN App Bridge fetches data THEN 401 with the retry header, logged", async () => {
    const token = mintSessionToken(TEST_APP.secret, { shop: NEVER_SEEN, apiKey: TEST_APP.apiKey });
    const response = await appDataRequest(stack.appUrl, token);
    expect(response.status).toBe(401);
    expect(response.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    expect(await db.session.count({ where: { shop: NEVER_SEEN } })).toBe(0);
    const logged = await waitFor("the warning", async () => warnings(stack, "token exchange refused by Shopify")[0]);
    expect(logged).toMatchObject({ status: 401, shop: NEVER_SEEN });
    expect(String(logged.reason)).toMatch(/^HTTP 404/);
  }, 60_000);

  it("GIVEN the same token in a document request (the admin's iframe) THEN 401 without the retry header", async () => {
    const url = new URL(await embeddedAppUrl(stack.adminUrl));
    url.searchParams.set("shop", NEVER_SEEN);
    url.searchParams.set(
      "host",
      Buffer.from(`admin.shopify.com/store/${NEVER_SEEN.split(".")[0]}`).toString("base64url"),
    );
    url.searchParams.set("id_token", mintSessionToken(TEST_APP.secret, { shop: NEVER_SEEN, apiKey: TEST_APP.apiKey }));
    const response = await fetch(url, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-shopify-retry-invalid-session-request")).toBeNull();
    expect(await response.text()).toMatch(/Open the app again from your Shopify admin/);
  });

  it("GIVEN a known shop THEN the same path still authenticates (the guard changes failures only)", async () => {
    const response = await appDataRequest(stack.appUrl, stack.emulator.sessionToken(DEMO_SHOP));
    expect(response.status).toBe(200);
  });
});

describe("a token exchange Shopify cannot answer", () => {
  const cases = [
    { mode: "hang", reason: /^no answer within 5000 ms$/ },
    { mode: "reset", reason: /fetch failed/ },
    { mode: "bad-gateway", reason: /^HTTP 502/ },
  ] as const;

  it.each(cases)(
    "GIVEN Shopify's token endpoint $mode THEN 503 with Retry-After, and the reason logged",
    async ({ mode: next, reason }) => {
      mode = next;
      // A shop of its own per case (never installed: the app must exchange), so its log lines are its own.
      const shop = `${next}-${NOT_INSTALLED}`;
      const token = mintSessionToken(TEST_APP.secret, { shop, apiKey: TEST_APP.apiKey });
      const started = Date.now();
      const response = await appDataRequest(unreachableStack.appUrl, token);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(Date.now() - started).toBeLessThan(10_000);
      const logged = await waitFor("the warning", async () => {
        const lines = warnings(unreachableStack, "token exchange failed: Shopify unreachable");
        const own = lines.filter((l) => l.shop === shop);
        return own.length > 0 ? own : undefined;
      });
      for (const line of logged) {
        expect(line).toMatchObject({ status: 503, shop });
        expect(String(line.reason)).toMatch(reason);
      }
    },
    60_000,
  );
});
