import { describe, expect, it } from "vitest";
import type { AdminClient, QueryCost } from "./admin-client.server";
import { aliasedBatchDriver } from "./aliased-batch.server";

function fakeAdmin(answer: Record<string, unknown>, cost?: QueryCost) {
  const sent: { document: string; variables?: Record<string, unknown> }[] = [];
  const admin: AdminClient = {
    shop: "fake.myshopify.com",
    lastCost: cost,
    redactedFields: new Set(),
    request: () => Promise.reject(new Error("not used")),
    requestRendered: <T>(document: string, variables?: Record<string, unknown>) => {
      sent.push({ document, variables });
      return Promise.resolve(answer as T);
    },
  };
  return { admin, sent };
}

describe("aliasedBatchDriver", () => {
  it("GIVEN items THEN one request of aliased calls, shared variables first, userErrors per item and alias", async () => {
    const { admin, sent } = fakeAdmin({
      t0: { userErrors: [] },
      t1: { userErrors: [{ field: ["payload"], message: "bad" }] },
    });
    const driver = aliasedBatchDriver(
      { admin },
      { operation: "Op", pointsPerCall: 10, shared: [["handle", "String!", "h"]] },
    );
    const { results, calls, waitedMs } = await driver.send(["a", "b", "c"], (item, i) => ({
      variables: [[`p${i}`, "JSON!", { item }]],
      calls: [
        {
          alias: `t${i}`,
          field: `flowTriggerReceive(handle: $handle, payload: $p${i}) { userErrors { field message } }`,
        },
      ],
    }));
    expect(sent[0]?.document).toBe(
      "mutation Op($handle: String!, $p0: JSON!, $p1: JSON!, $p2: JSON!) {\n" +
        "  t0: flowTriggerReceive(handle: $handle, payload: $p0) { userErrors { field message } }\n" +
        "  t1: flowTriggerReceive(handle: $handle, payload: $p1) { userErrors { field message } }\n" +
        "  t2: flowTriggerReceive(handle: $handle, payload: $p2) { userErrors { field message } }\n}",
    );
    expect(sent[0]?.variables).toEqual({ handle: "h", p0: { item: "a" }, p1: { item: "b" }, p2: { item: "c" } });
    expect(calls).toBe(3);
    expect(waitedMs).toBe(0);
    expect(results).toEqual([
      { t0: [] },
      { t1: [{ field: ["payload"], message: "bad" }] },
      // No answer for a call is a refusal, never a silent success.
      { t2: [{ field: null, message: "no answer" }] },
    ]);
  });

  it("GIVEN a bucket short of the request's points THEN it waits exactly until they are restored", async () => {
    const { admin } = fakeAdmin(
      { a0: { userErrors: [] } },
      {
        requestedQueryCost: 10,
        actualQueryCost: 10,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 5, restoreRate: 100 },
      },
    );
    const waits: number[] = [];
    const driver = aliasedBatchDriver(
      { admin, now: () => 0, sleep: async (ms) => void waits.push(ms) },
      { operation: "Op", pointsPerCall: 25 },
    );
    const { waitedMs } = await driver.send([1], (_, i) => ({
      variables: [],
      calls: [{ alias: `a${i}`, field: "x" }],
    }));
    expect(waits).toEqual([200]);
    expect(waitedMs).toBe(200);
  });
});
