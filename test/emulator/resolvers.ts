import type { EmulatedShop } from "./shop-state";

/**
 * Root values for the Admin API as the emulator serves it. graphql-js calls a
 * function-valued property with (args, context, info); plain properties are
 * returned as they are. Fields not listed here answer a clear
 * "not implemented by the emulator" error instead of a wrong null.
 */
export function queryRoot(shop: EmulatedShop): Record<string, unknown> {
  return {
    shop: () => ({
      id: `gid://shopify/Shop/${shopNumericId(shop)}`,
      name: shop.name,
      email: shop.email,
      contactEmail: shop.email,
      myshopifyDomain: shop.domain,
      currencyCode: shop.currencyCode,
      ianaTimezone: shop.ianaTimezone,
      plan: {
        publicDisplayName: shop.planDisplayName,
        displayName: shop.planDisplayName,
        shopifyPlus: shop.plan === "plus" || shop.plan === "enterprise",
        partnerDevelopment: false,
      },
    }),
    customersCount: () => ({ count: shop.dataset.spec.customers, precision: "EXACT" }),
    ordersCount: () => ({ count: shop.ordersCount(), precision: "EXACT" }),
  };
}

export function mutationRoot(_shop: EmulatedShop): Record<string, unknown> {
  return {};
}

function shopNumericId(shop: EmulatedShop): number {
  let h = 0;
  for (const ch of shop.domain) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return 60_000_000_000 + (h % 1_000_000_000);
}
