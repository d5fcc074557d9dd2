import { formatCents, type GeneratedCustomer, type GeneratedOrder, type GeneratedVisit } from "./generator";

/** Shapes of the same data as the Admin GraphQL API and the REST webhook payloads present them. */

export const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;

function money(cents: number, currency: string) {
  return { amount: formatCents(cents), currencyCode: currency };
}

function moneyBag(cents: number, order: GeneratedOrder) {
  return {
    shopMoney: money(cents, order.shopCurrency),
    presentmentMoney: money(Math.round(cents * order.presentmentRate), order.presentmentCurrency),
  };
}

export interface Connection<T> {
  nodes: T[];
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function connection<T>(all: T[], args: { first?: number; last?: number } = {}): Connection<T> {
  const items =
    args.first !== undefined ? all.slice(0, args.first) : args.last !== undefined ? all.slice(-args.last) : all;
  const edges = items.map((node, i) => ({ node, cursor: Buffer.from(`c${i}`).toString("base64") }));
  return {
    nodes: items,
    edges,
    pageInfo: {
      hasNextPage: items.length < all.length,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function visitNode(orderId: number, visit: GeneratedVisit) {
  return {
    __typename: "CustomerVisit",
    id: gid("CustomerVisit", orderId),
    occurredAt: visit.occurredAt.toISOString(),
    source: visit.source,
    sourceType: visit.sourceType,
    sourceDescription: null,
    referrerUrl: visit.referrerUrl,
    landingPage: visit.landingPage,
    landingPageHtml: `<a href="${visit.landingPage}">${visit.landingPage}</a>`,
    referralCode: null,
    referralInfoHtml: visit.referrerUrl ? `<a href="${visit.referrerUrl}">${visit.source}</a>` : visit.source,
    marketingEvent: null,
    utmParameters: visit.utm ? { __typename: "UTMParameters", ...visit.utm, content: null, term: null } : null,
  };
}

/**
 * Order.customerJourneySummary at `now`: null where Shopify has none; before the journey's readyAt only
 * `ready: false` (every other field null, no moments), as Shopify answers while attribution is still running.
 */
export function journeySummary(order: GeneratedOrder, now: number) {
  const journey = order.journey;
  if (!journey) return null;
  if (now < journey.readyAt.getTime())
    return {
      __typename: "CustomerJourneySummary",
      ready: false,
      customerOrderIndex: null,
      daysToConversion: null,
      firstVisit: null,
      lastVisit: null,
      momentsCount: null,
      moments: (args: { first?: number; last?: number }) => connection([], args),
    };
  const visit = journey.firstVisit ? visitNode(order.id, journey.firstVisit) : null;
  return {
    __typename: "CustomerJourneySummary",
    ready: true,
    customerOrderIndex: journey.customerOrderIndex,
    daysToConversion: journey.daysToConversion,
    firstVisit: visit,
    lastVisit: visit,
    momentsCount: { __typename: "Count", count: visit ? 1 : 0, precision: "EXACT" },
    moments: (args: { first?: number; last?: number }) => connection(visit ? [visit] : [], args),
  };
}

/**
 * An Order as the GraphQL Admin API returns it at `now` (the journey's readiness depends on it; connection fields
 * are functions of their arguments).
 */
export function orderNode(order: GeneratedOrder, now: number) {
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: String(order.id),
    name: order.name,
    createdAt: order.createdAt.toISOString(),
    processedAt: order.processedAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    test: order.test,
    currencyCode: order.shopCurrency,
    presentmentCurrencyCode: order.presentmentCurrency,
    customer: order.customerId === null ? null : { __typename: "Customer", id: gid("Customer", order.customerId) },
    totalPriceSet: moneyBag(order.totalCents, order),
    currentTotalPriceSet: moneyBag(order.currentTotalCents, order),
    totalRefundedSet: moneyBag(order.totalRefundedCents, order),
    discountCodes: order.discountCodes,
    discountCode: order.discountCodes[0] ?? null,
    customerJourneySummary: journeySummary(order, now),
    refunds: order.refunds.map((r) => ({
      __typename: "Refund",
      id: gid("Refund", r.id),
      createdAt: r.createdAt.toISOString(),
      totalRefundedSet: moneyBag(r.amountCents, order),
    })),
    lineItems: (args: { first?: number; last?: number }) =>
      connection(
        order.lineItems.map((li) => ({
          __typename: "LineItem",
          id: gid("LineItem", li.id),
          quantity: li.quantity,
          currentQuantity: li.quantity,
          vendor: li.vendor,
          name: li.title,
          product: { __typename: "Product", id: gid("Product", li.productId), productType: li.productType },
          discountedTotalSet: moneyBag(li.amountCents, order),
          originalTotalSet: moneyBag(li.amountCents, order),
        })),
        args,
      ),
  };
}

export function customerNode(customer: GeneratedCustomer, updatedAt: Date, tags: string[]) {
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    legacyResourceId: String(customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: `${customer.firstName} ${customer.lastName}`,
    email: customer.email,
    phone: customer.phone,
    defaultEmailAddress: customer.email
      ? {
          __typename: "CustomerEmailAddress",
          emailAddress: customer.email,
          marketingState: customer.emailMarketing,
          marketingOptInLevel: customer.emailOptInLevel,
          marketingUpdatedAt: customer.emailConsentUpdatedAt?.toISOString() ?? null,
        }
      : null,
    defaultPhoneNumber: customer.phone
      ? {
          __typename: "CustomerPhoneNumber",
          phoneNumber: customer.phone,
          smsMarketingConsent: customer.sms
            ? {
                __typename: "CustomerSmsMarketingConsent",
                state: customer.sms.state,
                optInLevel: customer.sms.optInLevel,
                updatedAt: customer.sms.updatedAt?.toISOString() ?? null,
                collectedFrom: "OTHER",
              }
            : null,
        }
      : null,
    defaultAddress: {
      __typename: "MailingAddress",
      id: gid("MailingAddress", customer.id),
      countryCodeV2: customer.countryCode,
      firstName: customer.firstName,
      lastName: customer.lastName,
    },
    locale: customer.locale,
    tags,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

function restMoney(cents: number, order: GeneratedOrder) {
  return {
    shop_money: { amount: formatCents(cents), currency_code: order.shopCurrency },
    presentment_money: {
      amount: formatCents(Math.round(cents * order.presentmentRate)),
      currency_code: order.presentmentCurrency,
    },
  };
}

/** A refund as the REST payloads carry it: transactions in the presentment currency. */
export function refundPayload(order: GeneratedOrder, refund: GeneratedOrder["refunds"][number]) {
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    order_id: order.id,
    created_at: refund.createdAt.toISOString(),
    processed_at: refund.createdAt.toISOString(),
    note: null,
    transactions: [
      {
        id: refund.id + 1,
        kind: "refund",
        status: "success",
        amount: formatCents(Math.round(refund.amountCents * order.presentmentRate)),
        currency: order.presentmentCurrency,
      },
    ],
    refund_line_items: [],
  };
}

/** The orders/* webhook payload (REST Order resource, API 2026-10). */
export function orderPayload(order: GeneratedOrder, customer?: GeneratedCustomer) {
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    created_at: order.createdAt.toISOString(),
    processed_at: order.processedAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
    cancelled_at: order.cancelledAt?.toISOString() ?? null,
    cancel_reason: order.cancelledAt ? "customer" : null,
    test: order.test,
    currency: order.shopCurrency,
    presentment_currency: order.presentmentCurrency,
    total_price: formatCents(order.totalCents),
    current_total_price: formatCents(order.currentTotalCents),
    total_price_set: restMoney(order.totalCents, order),
    current_total_price_set: restMoney(order.currentTotalCents, order),
    financial_status:
      order.totalRefundedCents === 0 ? "paid" : order.currentTotalCents === 0 ? "refunded" : "partially_refunded",
    discount_codes: order.discountCodes.map((code) => ({ code, amount: "0.00", type: "percentage" })),
    customer:
      order.customerId === null
        ? null
        : {
            id: order.customerId,
            admin_graphql_api_id: gid("Customer", order.customerId),
            email: customer?.email ?? null,
            first_name: customer?.firstName ?? null,
            last_name: customer?.lastName ?? null,
          },
    line_items: order.lineItems.map((li) => ({
      id: li.id,
      admin_graphql_api_id: gid("LineItem", li.id),
      product_id: li.productId,
      vendor: li.vendor,
      title: li.title,
      quantity: li.quantity,
      price: formatCents(Math.round(li.amountCents / li.quantity)),
      total_discount: "0.00",
      price_set: restMoney(Math.round(li.amountCents / li.quantity), order),
    })),
    refunds: order.refunds.map((r) => refundPayload(order, r)),
  };
}

export function customerPayload(customer: GeneratedCustomer, updatedAt: Date, tags: string[]) {
  return {
    id: customer.id,
    admin_graphql_api_id: gid("Customer", customer.id),
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    locale: customer.locale,
    created_at: customer.createdAt.toISOString(),
    updated_at: updatedAt.toISOString(),
    state: "enabled",
    tags: tags.join(", "),
    phone: customer.phone,
    email_marketing_consent: {
      state: customer.emailMarketing.toLowerCase(),
      opt_in_level: customer.emailOptInLevel.toLowerCase(),
      consent_updated_at: customer.emailConsentUpdatedAt?.toISOString() ?? null,
    },
    // REST says not_subscribed where GraphQL's smsMarketingConsent.state says NEVER_SUBSCRIBED.
    sms_marketing_consent: customer.sms
      ? {
          state: customer.sms.state === "NEVER_SUBSCRIBED" ? "not_subscribed" : customer.sms.state.toLowerCase(),
          opt_in_level: customer.sms.optInLevel.toLowerCase(),
          consent_updated_at: customer.sms.updatedAt?.toISOString() ?? null,
          consent_collected_from: "OTHER",
        }
      : null,
    default_address: {
      id: customer.id,
      customer_id: customer.id,
      first_name: customer.firstName,
      last_name: customer.lastName,
      country_code: customer.countryCode,
      default: true,
    },
  };
}
