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

/** Shopify's segment list (Customers → Segments). */
export function segmentsAdminUrl(shop: string): string {
  return `${storeUrl(shop)}/customers/segments`;
}

/** A code discount's page: `gid://shopify/DiscountCodeNode/123` → …/discounts/123. */
export function discountAdminUrl(shop: string, discountId: string): string {
  return `${storeUrl(shop)}/discounts/${discountId.replace(/^gid:\/\/shopify\/\w+\//, "")}`;
}

export function discountsAdminUrl(shop: string): string {
  return `${storeUrl(shop)}/discounts`;
}

/** Shopify's own apps live under /apps/<handle> in the admin. */
export function shopifyEmailAdminUrl(shop: string): string {
  return `${storeUrl(shop)}/apps/shopify-email`;
}

export function flowAdminUrl(shop: string): string {
  return `${storeUrl(shop)}/apps/flow`;
}

export function productAdminUrl(shop: string, productId: string | bigint): string {
  return `${storeUrl(shop)}/products/${productId}`;
}
