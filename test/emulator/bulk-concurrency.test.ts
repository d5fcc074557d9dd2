import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAdminEmulator, type AdminEmulator } from "./server";
import { routeShopifyToEmulator } from "./shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";
import { waitFor } from "../support/wait";

/** API 2026-10 bulk operations: several at once per shop (five of each type), tracked by id; counts and `limit`. */

const SHOP = "bulk-concurrency.myshopify.com";
let emulator: AdminEmulator;
let token: string;

async function gql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  shop = SHOP,
  accessToken = token,
) {
  const response = await fetch(`https://${shop}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: T; errors?: unknown };
  expect(json.errors).toBeUndefined();
  return json.data as T;
}

interface RunPayload {
  bulkOperation: { id: string; status: string } | null;
  userErrors: { field: string[] | null; message: string; code: string | null }[];
}

const RUN_QUERY = `mutation Run($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}`;
const RUN_MUTATION = `mutation Run($mutation: String!, $path: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
    bulkOperation { id status } userErrors { field message code }
  }
}`;
const STATUS = `query Status($id: ID!) { bulkOperation(id: $id) { id status type rootObjectCount url } }`;
const QUERIES = [
  "{ orders { edges { node { id } } } }",
  "{ customers { edges { node { id firstName } } } }",
  `{ orders(query: "updated_at:>='2024-01-01T00:00:00Z'") { edges { node { id name } } } }`,
  "{ customers { edges { node { id defaultEmailAddress { emailAddress marketingState } } } } }",
  "{ orders { edges { node { id lineItems { edges { node { id } } } } } } }",
  "{ customers { edges { node { id tags } } } }",
];

async function stagedPath(): Promise<string> {
  const data = await gql<{
    stagedUploadsCreate: { stagedTargets: { url: string; parameters: { name: string; value: string }[] }[] };
  }>(
    `mutation Up($input: [StagedUploadInput!]!) {
      stagedUploadsCreate(input: $input) { stagedTargets { url parameters { name value } } userErrors { message } }
    }`,
    {
      input: [
        { resource: "BULK_MUTATION_VARIABLES", filename: "tags.jsonl", mimeType: "text/jsonl", httpMethod: "POST" },
      ],
    },
  );
  const target = data.stagedUploadsCreate.stagedTargets[0];
  if (!target) throw new Error("no staged target");
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  const customer = [...emulator.shop(SHOP).customers()][0];
  form.append(
    "file",
    new Blob([`${JSON.stringify({ id: `gid://shopify/Customer/${customer?.id}`, tags: ["bulk"] })}\n`]),
    "tags.jsonl",
  );
  const upload = await fetch(target.url, { method: "POST", body: form });
  expect(upload.status).toBe(201);
  return target.parameters.find((p) => p.name === "key")?.value ?? "";
}

async function tokenFor(shop: string): Promise<string> {
  const response = await fetch(`https://${shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_id: TEST_APP.apiKey,
      client_secret: TEST_APP.secret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: emulator.sessionToken(shop),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Bulk Shop", dataset: { customers: 120, orders: 360 } }],
  });
  routeShopifyToEmulator(emulator.url);
  token = await tokenFor(SHOP);
  emulator.shop(SHOP).echoTagWebhooks = false;
});

afterAll(async () => {
  await emulator.close();
});

describe("Admin API emulator: bulk operations as in API 2026-10", () => {
  it("GIVEN five bulk queries running THEN a sixth is refused with LIMIT_REACHED, and once one ends a new one is accepted", async () => {
    const shop = emulator.shop(SHOP);
    let release: () => void = () => undefined;
    shop.bulkHold = new Promise<void>((resolve) => (release = resolve));
    const started: RunPayload[] = [];
    for (const query of QUERIES)
      started.push((await gql<{ bulkOperationRunQuery: RunPayload }>(RUN_QUERY, { query })).bulkOperationRunQuery);

    const accepted = started.slice(0, 5);
    expect(accepted.map((p) => [p.userErrors, p.bulkOperation?.status])).toEqual(
      accepted.map(() => [[], expect.stringMatching(/^(CREATED|RUNNING)$/)]),
    );
    expect(new Set(accepted.map((p) => p.bulkOperation?.id)).size).toBe(5);
    expect(started[5]).toEqual({
      bulkOperation: null,
      userErrors: [
        { field: ["query"], message: "Bulk operations limit reached. Please try again later.", code: "LIMIT_REACHED" },
      ],
    });
    // bulkOperation(id:) tracks each one; bulkOperations lists the five running.
    for (const p of accepted) {
      const { bulkOperation } = await gql<{ bulkOperation: { id: string; status: string; type: string } }>(STATUS, {
        id: p.bulkOperation?.id,
      });
      expect(bulkOperation).toMatchObject({ id: p.bulkOperation?.id, status: "RUNNING", type: "QUERY" });
    }
    const running = await gql<{ bulkOperations: { nodes: { id: string }[] } }>(
      `{ bulkOperations(first: 10, query: "operation_type:query status:running") { nodes { id } } }`,
    );
    expect(running.bulkOperations.nodes.map((n) => n.id).sort()).toEqual(
      accepted.map((p) => p.bulkOperation?.id).sort(),
    );

    shop.bulkHold = undefined;
    release();
    const done = await Promise.all(
      accepted.map((p) =>
        waitFor(`operation ${p.bulkOperation?.id}`, async () => {
          const { bulkOperation } = await gql<{ bulkOperation: { status: string; rootObjectCount: string } }>(STATUS, {
            id: p.bulkOperation?.id,
          });
          return bulkOperation.status === "COMPLETED" ? bulkOperation : undefined;
        }),
      ),
    );
    // Orders and customers, each counted by its own connection.
    expect(done.map((d) => Number(d.rootObjectCount))).toEqual([
      shop.ordersCount(),
      120,
      expect.any(Number),
      120,
      shop.ordersCount(),
    ]);
    const again = await gql<{ bulkOperationRunQuery: RunPayload }>(RUN_QUERY, { query: QUERIES[5] });
    expect(again.bulkOperationRunQuery.userErrors).toEqual([]);
  });

  it("GIVEN five bulk mutations running THEN a sixth is refused with LIMIT_REACHED while queries still start", async () => {
    const shop = emulator.shop(SHOP);
    let release: () => void = () => undefined;
    shop.bulkHold = new Promise<void>((resolve) => (release = resolve));
    const mutation = `mutation Tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }`;
    const results: RunPayload[] = [];
    for (let i = 0; i < 6; i++)
      results.push(
        (await gql<{ bulkOperationRunMutation: RunPayload }>(RUN_MUTATION, { mutation, path: await stagedPath() }))
          .bulkOperationRunMutation,
      );
    expect(results.slice(0, 5).every((p) => p.userErrors.length === 0 && p.bulkOperation !== null)).toBe(true);
    expect(results[5]).toEqual({
      bulkOperation: null,
      userErrors: [
        {
          field: ["mutation"],
          message: "Bulk operations limit reached. Please try again later.",
          code: "LIMIT_REACHED",
        },
      ],
    });
    // The query limit is separate from the mutation one.
    const query = await gql<{ bulkOperationRunQuery: RunPayload }>(RUN_QUERY, { query: QUERIES[0] });
    expect(query.bulkOperationRunQuery.userErrors).toEqual([]);
    shop.bulkHold = undefined;
    release();
    for (const p of results.slice(0, 5))
      await waitFor(`mutation ${p.bulkOperation?.id}`, async () => {
        const { bulkOperation } = await gql<{ bulkOperation: { status: string; type: string } }>(STATUS, {
          id: p.bulkOperation?.id,
        });
        return bulkOperation.status === "COMPLETED" && bulkOperation.type === "MUTATION";
      });
  });

  it("GIVEN counts above 10 000 THEN ordersCount/customersCount stop there with AT_LEAST unless limit is null", async () => {
    const COUNTS = `query C($limit: Int, $q: String) {
      ordersCount(limit: $limit, query: $q) { count precision }
      customersCount(limit: $limit, query: $q) { count precision }
    }`;
    const orders = emulator.shop(SHOP).ordersCount();
    // A small limit stands in for the 10 000 default.
    expect(await gql(COUNTS, { limit: 50 })).toEqual({
      ordersCount: { count: 50, precision: "AT_LEAST" },
      customersCount: { count: 50, precision: "AT_LEAST" },
    });
    expect(await gql(COUNTS, { limit: null })).toEqual({
      ordersCount: { count: orders, precision: "EXACT" },
      customersCount: { count: 120, precision: "EXACT" },
    });
    // Without the argument the default 10 000 applies: below it, the count is exact.
    expect(await gql(`{ ordersCount { count precision } customersCount { count precision } }`)).toEqual({
      ordersCount: { count: orders, precision: "EXACT" },
      customersCount: { count: 120, precision: "EXACT" },
    });
    // A search counts only what matches.
    const future = await gql(COUNTS, { limit: null, q: "updated_at:>='2999-01-01T00:00:00Z'" });
    expect(future).toEqual({
      ordersCount: { count: 0, precision: "EXACT" },
      customersCount: { count: 0, precision: "EXACT" },
    });
  });

  it("GIVEN a shop of more than 10 000 orders THEN the default count is capped AT_LEAST 10 000 and limit: null gives the truth", async () => {
    const big = emulator.addShop({
      domain: "big-count.myshopify.com",
      name: "Big",
      dataset: { customers: 3_000, orders: 11_000, customerIdBase: 7_300_000_000_000 },
    });
    const bigToken = await tokenFor(big.domain);
    const total = big.ordersCount();
    expect(total).toBeGreaterThan(10_000);
    const query = `query C($limit: Int) { ordersCount(limit: $limit) { count precision } }`;
    expect(await gql(`{ ordersCount { count precision } }`, {}, big.domain, bigToken)).toEqual({
      ordersCount: { count: 10_000, precision: "AT_LEAST" },
    });
    expect(await gql(query, { limit: null }, big.domain, bigToken)).toEqual({
      ordersCount: { count: total, precision: "EXACT" },
    });
  });
});
