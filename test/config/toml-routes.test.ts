import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { ROOT } from "../demo/stack";

interface Subscription {
  topics?: string[];
  compliance_topics?: string[];
  uri: string;
}

const toml = parse(readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8")) as unknown as {
  webhooks: { api_version: string; subscriptions: Subscription[] };
  access_scopes: { scopes: string };
};
const routeFiles = readdirSync(path.join(ROOT, "app/routes")).filter((f) => f.startsWith("webhooks."));

/** Remix flat routes: /webhooks/app/uninstalled ↔ webhooks.app.uninstalled.ts */
function routeFileFor(uri: string): string | undefined {
  const base = uri.replace(/^\//, "").replace(/\//g, ".");
  return routeFiles.find((f) => f.replace(/\.tsx?$/, "") === base);
}

describe("shopify.app.toml ↔ webhook routes", () => {
  it("subscribes with API version 2026-10", () => {
    expect(toml.webhooks.api_version).toBe("2026-10");
  });

  it("has a route file for every subscribed uri", () => {
    const missing = toml.webhooks.subscriptions.filter((s) => !routeFileFor(s.uri)).map((s) => s.uri);
    expect(missing).toEqual([]);
  });

  it("subscribes every webhook route file", () => {
    const uris = new Set(toml.webhooks.subscriptions.map((s) => s.uri));
    const orphans = routeFiles.filter((f) => !uris.has(`/${f.replace(/\.tsx?$/, "").replace(/\./g, "/")}`));
    expect(orphans).toEqual([]);
  });

  it("declares the three mandatory compliance topics and the app lifecycle topics", () => {
    const compliance = toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []);
    const topics = toml.webhooks.subscriptions.flatMap((s) => s.topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
    expect(topics).toEqual(expect.arrayContaining(["app/uninstalled", "app/scopes_update"]));
  });

  it("requests the scopes the app is configured with", () => {
    const scopes = toml.access_scopes.scopes.split(",").sort();
    expect(scopes).toEqual(
      expect.arrayContaining([
        "read_all_orders",
        "read_customers",
        "read_orders",
        "write_customers",
        "write_discounts",
        "write_pixels",
        "read_customer_events",
      ]),
    );
  });
});
