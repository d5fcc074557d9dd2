/** Bulk operations (Admin API 2026-10): the orders export and bulk mutations through a staged JSONL upload. */

export const RUN_BULK_QUERY = `#graphql
  mutation RunOrdersBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION_STATUS = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      fileSize
      url
      partialDataUrl
      completedAt
    }
  }
`;

export const RUN_BULK_MUTATION = `#graphql
  mutation BulkMutationRun($mutation: String!, $path: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_MUTATION_STATUS = `#graphql
  query BulkMutationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
      partialDataUrl
    }
  }
`;

/** The running bulk mutation, if any (currentBulkOperation is deprecated in 2026-10: bulkOperations with a filter). */
export const CURRENT_BULK_MUTATION = `#graphql
  query BulkMutationCurrent {
    bulkOperations(first: 1, query: "operation_type:mutation status:running") {
      nodes {
        id
        status
      }
    }
  }
`;

/** The app's bulk queries still going on the shop (created or running): they count against the five at once. */
export const BULK_QUERIES_IN_PROGRESS = `#graphql
  query BulkQueriesInProgress {
    created: bulkOperations(first: 5, query: "operation_type:query status:created") {
      nodes {
        id
      }
    }
    running: bulkOperations(first: 5, query: "operation_type:query status:running") {
      nodes {
        id
      }
    }
  }
`;
