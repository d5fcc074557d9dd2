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
