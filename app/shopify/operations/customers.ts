export const CUSTOMER_NODES = `#graphql
  query RfmPixelCustomers($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        defaultEmailAddress {
          emailAddress
          marketingState
          marketingOptInLevel
          marketingUpdatedAt
        }
        defaultPhoneNumber {
          phoneNumber
          smsMarketingConsent {
            state
            optInLevel
            updatedAt
          }
        }
        defaultAddress {
          countryCodeV2
        }
        firstName
        lastName
        locale
        tags
        createdAt
        updatedAt
      }
    }
  }
`;

export const CUSTOMER_STATISTICS = `#graphql
  query RfmBlockStatistics($id: ID!) {
    customer(id: $id) {
      statistics {
        predictedSpendTier
        rfmGroup
      }
    }
  }
`;

/**
 * The bulk query over customers: the profile and consent the app stores
 * (non-deprecated 2026-10 fields: defaultEmailAddress, defaultPhoneNumber.smsMarketingConsent,
 * defaultAddress.countryCodeV2). A template like ORDERS_BULK_QUERY: customersBulkQuery() inserts the `query:`
 * filter, test/graphql validates the rendered text.
 */
export const CUSTOMERS_BULK_QUERY = `
  {
    customers {
      edges {
        node {
          id
          firstName
          lastName
          locale
          tags
          createdAt
          updatedAt
          defaultEmailAddress {
            emailAddress
            marketingState
            marketingOptInLevel
            marketingUpdatedAt
          }
          defaultPhoneNumber {
            phoneNumber
            smsMarketingConsent {
              state
              optInLevel
              updatedAt
            }
          }
          defaultAddress {
            countryCodeV2
          }
        }
      }
    }
  }
`;

/** What the app may read of customers: one customer with every protected field (name, email, phone, address). */
export const CUSTOMER_DATA_ACCESS = `#graphql
  query RfmCustomerDataAccess {
    customers(first: 1) {
      nodes {
        id
        firstName
        lastName
        defaultEmailAddress {
          emailAddress
        }
        defaultPhoneNumber {
          phoneNumber
        }
        defaultAddress {
          address1
        }
      }
    }
  }
`;

export function customersBulkQuery(search: string | null): string {
  return search
    ? CUSTOMERS_BULK_QUERY.replace("customers {", `customers(query: ${JSON.stringify(search)}) {`)
    : CUSTOMERS_BULK_QUERY;
}

export const CUSTOMERS_COUNT = `#graphql
  query CustomersCount($query: String) {
    customersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;
