import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { ShopifyToEmulatorDispatcher } from "../../test/emulator/shopify-origin-routing";
import { logger } from "../platform/logger.server";
import { createAdminClient, isReadOnlyDocument } from "./admin-client.server";

const SHOP = "reset.myshopify.com";
const QUERY = "query ShopName { shop { name } }";
const MUTATION = 'mutation Tag { tagsAdd(id: "gid://shopify/Customer/1", tags: ["a"]) { userErrors { message } } }';

/**
 * A real HTTP server that resets (TCP RST) the first connection it gets once a request has arrived on it — what
 * undici reports as `fetch failed` for a kept-alive socket a proxy dropped — and answers on later connections; while
 * `resetEveryRequest` is set, it resets every request.
 */
let server: http.Server;
let previous: Dispatcher;
let requests: string[] = [];
let resetEveryRequest = false;
let resetNextConnection = true;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      requests.push(body);
      if (resetEveryRequest || resetNextConnection) {
        resetNextConnection = false;
        req.socket.resetAndDestroy();
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json", Connection: "keep-alive" });
      res.end(JSON.stringify({ data: { shop: { name: "Reset" } } }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  previous = getGlobalDispatcher();
  setGlobalDispatcher(new ShopifyToEmulatorDispatcher(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
});

afterAll(async () => {
  setGlobalDispatcher(previous);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests = [];
  resetEveryRequest = false;
  resetNextConnection = true;
});

function client() {
  const waits: number[] = [];
  const admin = createAdminClient({
    shop: SHOP,
    accessToken: "token",
    logger,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { admin, waits };
}

describe("admin client network errors", () => {
  it("GIVEN the first connection is reset WHEN a query is sent THEN it is resent on a new connection", async () => {
    const { admin, waits } = client();
    await expect(admin.requestRendered(QUERY)).resolves.toEqual({ shop: { name: "Reset" } });
    expect(requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it("GIVEN every connection is reset THEN a query is tried a bounded number of times with growing waits", async () => {
    resetEveryRequest = true;
    const { admin, waits } = client();
    await expect(admin.requestRendered(QUERY)).rejects.toThrow(/fetch failed/);
    expect(requests).toHaveLength(5);
    expect(waits).toHaveLength(4);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1] ?? Infinity);
  });

  it("GIVEN the connection is reset WHEN a mutation is sent THEN it is not resent (Shopify may have applied it)", async () => {
    resetEveryRequest = true;
    const { admin, waits } = client();
    await expect(admin.requestRendered(MUTATION)).rejects.toThrow(/fetch failed/);
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("tells reads from writes by the document's operation", () => {
    expect(isReadOnlyDocument(QUERY)).toBe(true);
    expect(isReadOnlyDocument("\n  # poll\n  query BulkOperationStatus($id: ID!) { node(id: $id) { id } }")).toBe(true);
    expect(isReadOnlyDocument("{ shop { name } }")).toBe(true);
    expect(isReadOnlyDocument(MUTATION)).toBe(false);
    expect(
      isReadOnlyDocument(
        'mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id } } } }") { userErrors { message } } }',
      ),
    ).toBe(false);
  });
});
