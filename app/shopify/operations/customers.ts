export const CUSTOMER_NODES = `#graphql
  query RfmPixelCustomers($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        defaultEmailAddress {
          emailAddress
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
