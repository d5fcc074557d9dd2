/**
 * What the insights read of Order.customerJourneySummary (2026-10): readiness, order position, days to conversion and
 * the first visit's source, tactic and UTM campaign/medium/source. No landing page or referrer URL (protected data the
 * insights do not need: the source names the referring site). ORDER_JOURNEYS repeats it literally (codegen reads only
 * literal documents); a test keeps the two the same.
 */
export const JOURNEY_SELECTION = `{
            ready
            customerOrderIndex
            daysToConversion
            firstVisit {
              source
              sourceType
              utmParameters {
                campaign
                medium
                source
              }
            }
          }`;

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
          customerJourneySummary ${JOURNEY_SELECTION}
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
                  productType
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

/** Orders' journeys asked again by id (orders.journeys): up to 250 ids per request, as nodes(ids:) allows. */
export const ORDER_JOURNEYS = `#graphql
  query RfmOrderJourneys($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Order {
        id
        customerJourneySummary {
            ready
            customerOrderIndex
            daysToConversion
            firstVisit {
              source
              sourceType
              utmParameters {
                campaign
                medium
                source
              }
            }
          }
      }
    }
  }
`;

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

/**
 * Counts of orders per search in one request, one aliased `ordersCount(limit: null)` per search (`c0`, `c1`, …):
 * without `limit: null` Shopify stops at 10 000 and answers AT_LEAST. A template like ORDERS_BULK_QUERY.
 */
export function ordersCountsDocument(searches: readonly string[]): {
  document: string;
  variables: Record<string, string>;
} {
  const declarations = searches.map((_, i) => `$q${i}: String`).join(", ");
  const fields = searches.map((_, i) => `c${i}: ordersCount(query: $q${i}, limit: null) { count precision }`);
  return {
    document: `query OrdersCountsByPeriod(${declarations}) {\n  ${fields.join("\n  ")}\n}`,
    variables: Object.fromEntries(searches.map((search, i) => [`q${i}`, search])),
  };
}

/** The search for orders processed in [from, to): either bound may be open. */
export function processedAtSearch(from: Date | null, to: Date | null): string {
  return [
    ...(from ? [`processed_at:>='${from.toISOString()}'`] : []),
    ...(to ? [`processed_at:<'${to.toISOString()}'`] : []),
  ].join(" ");
}
