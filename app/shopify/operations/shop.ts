/** Everything the app keeps about the shop itself. */
export const SHOP_INFO_QUERY = `#graphql
  query ShopInfo {
    shop {
      name
      email
      myshopifyDomain
      currencyCode
      ianaTimezone
      plan {
        publicDisplayName
        shopifyPlus
        partnerDevelopment
      }
    }
  }
`;

/** The cheapest query there is: asked only for the throttle status Shopify reports with every answer. */
export const THROTTLE_PROBE_QUERY = `#graphql
  query ThrottleProbe {
    shop {
      id
    }
  }
`;
