import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAdminEmulator, type AdminEmulator } from "./server";
import { routeShopifyToEmulator } from "./shopify-origin-routing";
import { createAdminClient } from "../../app/shopify/admin-client.server";
import { logger } from "../../app/platform/logger.server";
import { TEST_APP } from "../setup/test-app";
import { mintSessionToken } from "./session-token";

const SHOP = "emulated-shop.myshopify.com";
let emulator: AdminEmulator;
let token: string;

async function gql(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function exchange(body: Record<string, string>) {
  const response = await fetch(`https://${SHOP}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Emulated Shop", plan: "standard", dataset: { customers: 300, orders: 900 } }],
  });
  routeShopifyToEmulator(emulator.url);
  const issued = await exchange({
    client_id: TEST_APP.apiKey,
    client_secret: TEST_APP.secret,
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: emulator.sessionToken(SHOP),
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    expiring: "1",
  });
  expect(issued.status).toBe(200);
  token = issued.json.access_token as string;
  expect(issued.json).toMatchObject({ scope: TEST_APP.scopes, expires_in: 3600 });
  expect(issued.json.refresh_token).toMatch(/^shprt_/);
});

afterAll(async () => {
  await emulator.close();
});

describe("Admin API emulator: auth", () => {
  it("GIVEN a wrong client secret WHEN exchanging a session token THEN 401 invalid_client", async () => {
    const r = await exchange({
      client_id: TEST_APP.apiKey,
      client_secret: "wrong",
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: emulator.sessionToken(SHOP),
    });
    expect(r.status).toBe(401);
  });

  it("GIVEN a session token signed with another secret THEN 400 invalid_subject_token", async () => {
    const forged = mintSessionToken("not-the-secret", { shop: SHOP, apiKey: TEST_APP.apiKey });
    const r = await exchange({
      client_id: TEST_APP.apiKey,
      client_secret: TEST_APP.secret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: forged,
    });
    expect(r).toMatchObject({ status: 400, json: { error: "invalid_subject_token" } });
  });

  it("GIVEN a refresh token THEN it is traded once for a new pair", async () => {
    const issued = await exchange({
      client_id: TEST_APP.apiKey,
      client_secret: TEST_APP.secret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: emulator.sessionToken(SHOP),
      expiring: "1",
    });
    const refresh = {
      client_id: TEST_APP.apiKey,
      client_secret: TEST_APP.secret,
      grant_type: "refresh_token",
      refresh_token: issued.json.refresh_token as string,
    };
    expect((await exchange(refresh)).status).toBe(200);
    expect((await exchange(refresh)).status).toBe(400);
  });

  it("GIVEN no or a wrong access token THEN GraphQL answers 401 like Shopify", async () => {
    const r = await gql({ query: "{ shop { name } }" }, { "X-Shopify-Access-Token": "shpat_wrong" });
    expect(r.status).toBe(401);
    expect(r.json.errors).toMatch(/Invalid API key or access token/);
  });
});

describe("Admin API emulator: GraphQL against the real 2026-10 schema", () => {
  it("answers a valid query with data and cost extensions", async () => {
    const r = await gql({ query: "{ shop { name currencyCode ianaTimezone } ordersCount { count precision } }" });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({
      shop: { name: "Emulated Shop", currencyCode: "EUR", ianaTimezone: "Europe/Amsterdam" },
      ordersCount: { precision: "EXACT" },
    });
    expect(r.json.extensions).toMatchObject({
      cost: { requestedQueryCost: 2, actualQueryCost: 2, throttleStatus: { maximumAvailable: 1000, restoreRate: 100 } },
    });
  });

  it("rejects a field the schema does not have, in Shopify's error shape", async () => {
    const r = await gql({ query: "{ shop { name rfmScore } }" });
    expect(r.status).toBe(200);
    expect(r.json.data).toBeUndefined();
    expect(r.json.errors).toEqual([
      {
        message: "Field 'rfmScore' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 15 }],
        extensions: { code: "undefinedField" },
      },
    ]);
  });

  it("refuses deprecated 2026-10 fields, so the app can use none of them", async () => {
    const r = await gql({ query: "{ currentBulkOperation(type: MUTATION) { id } }" });
    expect(r.json.data).toBeUndefined();
    expect((r.json.errors as { message: string }[]).map((e) => e.message)).toEqual([
      "The field QueryRoot.currentBulkOperation is deprecated. Use `bulkOperations` with status filter instead.",
    ]);
  });

  it("lists bulk operations newest first, filtered by status and operation type, and needs first or last", async () => {
    const query = `mutation Run($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }`;
    const started = await gql({ query, variables: { q: "{ orders { edges { node { id } } } }" } });
    const id = (started.json.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery
      .bulkOperation.id;
    const list = async (filter: string) => {
      const r = await gql({ query: `{ bulkOperations(first: 5, query: "${filter}") { nodes { id status } } }` });
      return (r.json.data as { bulkOperations: { nodes: { id: string }[] } }).bulkOperations.nodes.map((n) => n.id);
    };
    expect((await list("operation_type:query"))[0]).toBe(id);
    expect(await list("operation_type:mutation")).not.toContain(id);
    expect(await list("status:failed operation_type:query")).not.toContain(id);
    const unbounded = await gql({ query: "{ bulkOperations { nodes { id } } }" });
    expect((unbounded.json.errors as { message: string }[])[0]?.message).toBe("you must provide one of first or last");
  });

  it("rejects a missing required argument and an unknown argument", async () => {
    const r = await gql({ query: "{ customers { edges { node { id } } } order(idd: 1) { id } }" });
    const codes = (r.json.errors as { extensions: { code: string } }[]).map((e) => e.extensions.code);
    expect(codes).toEqual(expect.arrayContaining(["argumentNotAccepted", "missingRequiredArguments"]));
  });

  it("rejects syntax errors and bodies without a query", async () => {
    expect((await gql({ query: "{ shop { name " })).json.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^syntax error/) }),
    ]);
    expect((await gql("not json")).status).toBe(400);
    expect((await gql({ variables: {} })).status).toBe(400);
  });

  it("charges connections by their page size and refuses queries over 1000 points", async () => {
    const r = await gql({
      query: "{ customers(first: 250) { edges { node { id orders(first: 10) { nodes { id } } } } } }",
    });
    expect(r.json.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "MAX_COST_EXCEEDED", cost: 2 + 250 * (1 + 2 + 10 * 1) }),
      }),
    ]);
  });

  it("serves only API version 2026-10", async () => {
    const response = await fetch(`https://${SHOP}/admin/api/2024-01/graphql.json`, {
      method: "POST",
      headers: { "X-Shopify-Access-Token": token },
      body: "{}",
    });
    expect(response.status).toBe(404);
  });
});

describe("Admin API emulator: leaky bucket", () => {
  it("GIVEN an empty bucket THEN it answers THROTTLED with HTTP 200, and the app's client waits it out", async () => {
    const shop = emulator.shop(SHOP);
    // A bucket of 200 points refilling at 20/s, on a clock that moves only when the client sleeps.
    let clock = 0;
    shop.setRestoreRate(20, () => clock);
    const query = "{ shop { name } customersCount { count } ordersCount { count } }"; // 3 points
    let throttled: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !throttled; i++) {
      const r = await gql({ query });
      if ((r.json.errors as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code === "THROTTLED")
        throttled = r.json;
    }
    expect(throttled).toMatchObject({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
      extensions: {
        cost: {
          requestedQueryCost: 3,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 200, restoreRate: 20 },
        },
      },
    });

    const waits: number[] = [];
    const client = createAdminClient({
      shop: SHOP,
      accessToken: token,
      logger,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    const available = shop.bucket.currentlyAvailable();
    const result = await client.requestRendered<{ shop: { name: string } }>(query);
    expect(result.shop.name).toBe("Emulated Shop");
    // One wait of (requested − available) / restoreRate, +50 ms margin, + a random share of one request's worth
    // (3 points / 20 per s = 150 ms) so jobs sharing the bucket do not collide again — then success.
    const exact = ((3 - available) / 20) * 1000 + 50;
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(Math.ceil(exact));
    expect(waits[0]).toBeLessThanOrEqual(Math.ceil(exact + 150));
    shop.setRestoreRate(100);
  });
});
