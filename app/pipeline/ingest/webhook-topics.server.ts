import type { WebhookTopic } from "./inbox/webhook-topic";
import {
  bulkOperationsFinish,
  customersDelete,
  customersMerge,
  customerState,
  orderState,
  ordersDelete,
  refundsCreate,
} from "./order-and-customer-webhooks.server";
import {
  appScopesUpdate,
  appUninstalled,
  customersDataRequest,
  customersRedact,
  shopRedact,
} from "./app-and-compliance-webhooks.server";

/**
 * Every subscribed topic (shopify.app.toml) by its path form, as Shopify's X-Shopify-Topic names it and as its
 * endpoint /webhooks/<topic> is routed. The receiver verifies against it; the applier applies with it.
 */
export const WEBHOOK_TOPICS: Record<string, WebhookTopic> = {
  "app/uninstalled": appUninstalled,
  "app/scopes_update": appScopesUpdate,
  "orders/create": orderState,
  "orders/updated": orderState,
  "orders/cancelled": orderState,
  "orders/delete": ordersDelete,
  "refunds/create": refundsCreate,
  "customers/create": customerState,
  "customers/update": customerState,
  "customers/delete": customersDelete,
  "customers/merge": customersMerge,
  "bulk_operations/finish": bulkOperationsFinish,
  "customers/data_request": customersDataRequest,
  "customers/redact": customersRedact,
  "shop/redact": shopRedact,
};

/** X-Shopify-Topic "orders/create" (or the library's storage form "ORDERS_CREATE") names the endpoint's topic. */
export function sameTopic(header: string, path: string): boolean {
  const key = (t: string) => t.toLowerCase().replace(/[_/.]/g, "/");
  return key(header) === key(path);
}
