import { gql } from "graphql-request";

/**
 * The bulk query over orders: exactly the fields RFM needs. The
 * `orders` field gets its `query:` filter inserted by ordersBulkQuery().
 */
export const ORDERS_BULK_QUERY = gql`
  {
    orders {
      edges {
        node {
          id
          name
          createdAt
          processedAt
          updatedAt
          cancelledAt
          test
          customer {
            id
          }
          totalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
            presentmentMoney {
              amount
            }
          }
          currentTotalPriceSet {
            shopMoney {
              amount
            }
          }
          totalRefundedSet {
            shopMoney {
              amount
            }
          }
          discountCodes
          refunds {
            id
            createdAt
            totalRefundedSet {
              shopMoney {
                amount
              }
            }
          }
          lineItems {
            edges {
              node {
                id
                quantity
                vendor
                product {
                  id
                }
                discountedTotalSet {
                  shopMoney {
                    amount
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

export function ordersBulkQuery(search: string | null): string {
  return search
    ? ORDERS_BULK_QUERY.replace("orders {", `orders(query: ${JSON.stringify(search)}) {`)
    : ORDERS_BULK_QUERY;
}

export const RUN_BULK_QUERY = gql`
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

export interface RunBulkQueryResult {
  bulkOperationRunQuery: {
    bulkOperation: { id: string; status: string } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  } | null;
}

export const BULK_OPERATION_STATUS = gql`
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

export interface BulkOperationStatusResult {
  bulkOperation: {
    id: string;
    status: "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";
    errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
    objectCount: string;
    rootObjectCount: string;
    fileSize: string | null;
    url: string | null;
    partialDataUrl: string | null;
    completedAt: string | null;
  } | null;
}

export const ORDERS_COUNT = gql`
  query OrdersCount($query: String) {
    ordersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;

export interface OrdersCountResult {
  ordersCount: { count: number; precision: string } | null;
}
