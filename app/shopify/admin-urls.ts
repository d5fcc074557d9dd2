/** Pages of the Shopify admin the app links to (admin.shopify.com/store/<handle>/…). */
const storeUrl = (shop: string) => `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`;

export function customerAdminUrl(shop: string, customerId: string | bigint): string {
  return `${storeUrl(shop)}/customers/${customerId}`;
}

export function segmentAdminUrl(shop: string, segmentId: string): string {
  return `${storeUrl(shop)}/customers/segments/${segmentId.replace(/^gid:\/\/shopify\/Segment\//, "")}`;
}

export function orderAdminUrl(shop: string, orderId: string | bigint): string {
  return `${storeUrl(shop)}/orders/${orderId}`;
}
