import { gql } from "graphql-request";

/** Everything the app keeps about the shop itself. */
export const SHOP_INFO_QUERY = gql`
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

export interface ShopInfoResult {
  shop: {
    name: string;
    email: string;
    myshopifyDomain: string;
    currencyCode: string;
    ianaTimezone: string;
    plan: { publicDisplayName: string; shopifyPlus: boolean; partnerDevelopment: boolean };
  };
}
