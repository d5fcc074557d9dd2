import { describe, expect, it } from "vitest";
import { ShopDataset } from "./generator";
import { customerNode, customerPayload, orderPayload } from "./shapes";
import { FULL_ACCESS, isProtectedTopic, protectWebhookPayload, redactCustomerRecord } from "./protected-data";

const ds = new ShopDataset({
  seed: 7,
  customers: 20,
  orders: 60,
  from: "2025-01-01",
  to: "2026-06-01",
  currency: "EUR",
});
const order = [...ds.orders()].find((o) => o.customerId !== null);
const customer = ds.customer(0);

describe("protected customer data in the emulator's webhooks and bulk records", () => {
  it("GIVEN level 1 without fields THEN orders/* and customers/* payloads keep ids and amounts, names and emails are null", () => {
    if (!order?.customerId) throw new Error("no customer order");
    const withCustomer = ds.customer(ds.customerIndex(order.customerId) ?? 0);
    const payload = protectWebhookPayload("orders/create", orderPayload(order, withCustomer), {
      level1: true,
      fields: [],
    }) as ReturnType<typeof orderPayload>;
    expect(payload.id).toBe(order.id);
    expect(payload.total_price).toBe(orderPayload(order).total_price);
    expect(payload.customer).toMatchObject({ id: order.customerId, email: null, first_name: null, last_name: null });

    const c = protectWebhookPayload("customers/update", customerPayload(customer, new Date(), ["vip"]), {
      level1: true,
      fields: ["email"],
    }) as ReturnType<typeof customerPayload>;
    expect(c).toMatchObject({ id: customer.id, email: customer.email, first_name: null, last_name: null, tags: "vip" });
  });

  it("GIVEN no level 1 THEN customer and order topics are not sent at all, compliance and app topics are", () => {
    const none = { level1: false, fields: [] };
    if (!order) throw new Error("no order");
    expect(protectWebhookPayload("orders/create", orderPayload(order), none)).toBeNull();
    expect(protectWebhookPayload("customers/update", customerPayload(customer, new Date(), []), none)).toBeNull();
    for (const topic of [
      "customers/redact",
      "customers/data_request",
      "shop/redact",
      "app/uninstalled",
      "bulk_operations/finish",
    ])
      expect(isProtectedTopic(topic), topic).toBe(false);
    expect(isProtectedTopic("refunds/create")).toBe(true);
  });

  it("GIVEN full access THEN nothing changes; GIVEN a bulk record without the name field THEN only the name is null", () => {
    const payload = customerPayload(customer, new Date(), []);
    expect(protectWebhookPayload("customers/update", payload, FULL_ACCESS)).toEqual(payload);
    const node = customerNode(customer, new Date(), []);
    const redacted = redactCustomerRecord(node, { level1: true, fields: ["email", "phone", "address"] });
    expect(redacted).toMatchObject({
      id: node.id,
      firstName: null,
      lastName: null,
      displayName: null,
      email: node.email,
    });
    expect(redacted.defaultEmailAddress).toEqual(node.defaultEmailAddress);
  });
});
