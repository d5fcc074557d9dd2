export const SEGMENT_CREATE = `#graphql
  mutation RfmSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment {
        id
        name
        query
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SEGMENT_UPDATE = `#graphql
  mutation RfmSegmentUpdate($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment {
        id
        name
        query
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SEGMENT_DELETE = `#graphql
  mutation RfmSegmentDelete($id: ID!) {
    segmentDelete(id: $id) {
      deletedSegmentId
      userErrors {
        field
        message
      }
    }
  }
`;

export const SEGMENT_BY_NAME = `#graphql
  query RfmSegmentByName($query: String!) {
    segments(first: 25, query: $query) {
      nodes {
        id
        name
        query
      }
    }
  }
`;

export const SEGMENT_BY_ID = `#graphql
  query RfmSegmentById($id: ID!) {
    segment(id: $id) {
      id
    }
  }
`;
