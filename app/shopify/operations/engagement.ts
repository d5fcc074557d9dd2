/** Which segment filters the shop has (Shopify Email and storefront event filters are not everywhere). */
export const SEGMENT_FILTERS = `#graphql
  query RfmSegmentFilters($after: String) {
    segmentFilters(first: 250, after: $after) {
      nodes {
        queryName
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** One page of the customers matching a segment query (ids only; a member id ends in the customer id). */
export const SEGMENT_MEMBER_IDS = `#graphql
  query RfmSegmentMemberIds($query: String!, $first: Int!, $after: String, $timezone: String) {
    customerSegmentMembers(query: $query, first: $first, after: $after, timezone: $timezone) {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
