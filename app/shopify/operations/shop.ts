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
