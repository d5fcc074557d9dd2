import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { webhookSubscriptions } from "./app-config";
import { filterMatches, includeFields, parseFilter } from "./webhook-filter";

const product = {
  id: 9554194432293,
  title: "T-Shirt",
  status: "active",
  product_type: "Shirts",
  vendor: "My Store",
  variants: [
    { id: 1, title: "S", price: "9.99", sku: "TS-S" },
    { id: 2, title: "L", price: "29.99", sku: "TS-L" },
  ],
  options: null,
};

const matches = (filter: string, payload: unknown = product) => filterMatches(parseFilter(filter), payload);

describe("webhook subscription filters (Shopify search syntax subset)", () => {
  it("GIVEN Shopify's documented examples THEN they gate as documented", () => {
    expect(matches("variants.price:>=10.00")).toBe(true);
    expect(matches("variants.price:>=30")).toBe(false);
    expect(matches("id:* AND status:active AND (product_type:Music OR product_type:Shirts)")).toBe(true);
    expect(matches("id:* AND status:active AND (product_type:Music OR product_type:Movies)")).toBe(false);
  });

  it("GIVEN equality, negation, existence, quoting and implicit AND THEN each evaluates against the payload", () => {
    expect(matches("status:ACTIVE")).toBe(true);
    expect(matches("-status:active")).toBe(false);
    expect(matches("NOT status:draft")).toBe(true);
    expect(matches('vendor:"My Store"')).toBe(true);
    expect(matches("vendor:Other")).toBe(false);
    expect(matches("status:active product_type:Shirts")).toBe(true);
    expect(matches("status:active product_type:Music")).toBe(false);
    expect(matches("options:*")).toBe(false);
    expect(matches("missing:*")).toBe(false);
    expect(matches("variants.sku:TS-L")).toBe(true);
    expect(matches("id:9554194432293")).toBe(true);
    expect(matches("variants.price:<5 OR variants.price:<=9.99")).toBe(true);
  });

  it("GIVEN syntax outside the subset THEN parsing throws rather than letting events through", () => {
    for (const filter of [
      "",
      "shirt",
      "title:T-Sh*",
      "price:[1 TO 5]",
      "title:shirt~",
      "(status:active",
      "AND",
      "id:>x",
    ])
      expect(() => parseFilter(filter), filter).toThrow();
  });
});

describe("include_fields", () => {
  it("GIVEN top-level and nested paths THEN only those are kept, through arrays element by element", () => {
    expect(includeFields(product, ["id", "variants.price", "variants.id", "absent", "options"])).toEqual({
      id: product.id,
      variants: [
        { price: "9.99", id: 1 },
        { price: "29.99", id: 2 },
      ],
      options: null,
    });
  });
});

describe("shopify.app.toml subscriptions", () => {
  it("GIVEN include_fields, filter and name on a subscription THEN the emulator reads them like Shopify on deploy", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "app-toml-"));
    const file = path.join(dir, "shopify.app.toml");
    writeFileSync(
      file,
      [
        "[webhooks]",
        'api_version = "2026-10"',
        "[[webhooks.subscriptions]]",
        'topics = ["customers/update"]',
        'uri = "/webhooks/customers/update"',
        'include_fields = ["id", "tags", "updated_at"]',
        'filter = "tags:*"',
        'name = "customer-tags"',
        "[[webhooks.subscriptions]]",
        'compliance_topics = ["shop/redact"]',
        'uri = "/webhooks/shop/redact"',
      ].join("\n"),
    );
    expect(webhookSubscriptions(file)).toEqual({
      apiVersion: "2026-10",
      subscriptions: [
        {
          topics: ["customers/update"],
          uri: "/webhooks/customers/update",
          includeFields: ["id", "tags", "updated_at"],
          filter: "tags:*",
          name: "customer-tags",
        },
        { topics: ["shop/redact"], uri: "/webhooks/shop/redact" },
      ],
    });
  });
});
