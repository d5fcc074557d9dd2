/**
 * The bulk query over orders: exactly the fields RFM needs. The
 * `orders` field gets its `query:` filter inserted by ordersBulkQuery(), so
 * it is a template, not a #graphql-tagged document: test/graphql validates its
 * rendered text against the schema instead.
 */
export const ORDERS_BULK_QUERY = `
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

export const ORDERS_COUNT = `#graphql
  query OrdersCount($query: String) {
    ordersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;

/** A customer of the shop to read with the customer documents (npm run smoke:shopify). */
export const FIRST_ORDER_CUSTOMER = `#graphql
  query SmokeFirstOrderCustomer {
    orders(first: 1) {
      nodes {
        customer {
          id
        }
      }
    }
  }
`;
