/**
 * What GET /api/customer-block/<id> answers: everything already in the admin's
 * language (segment names, the one-line explanations), dates as "YYYY-MM-DD"
 * shop-local calendar days for the extension to format.
 */
export interface CustomerBlockPayload {
  language: "en" | "nl";
  customerId: string;
  /** From the customer profile; null when Shopify has none or withholds it (protected customer data). */
  name: string | null;
  email: string | null;
  /** Date of the scoring run the scores come from. */
  asOf: string | null;
  /** Null: the customer has no counted order in the scoring window (yet). */
  score: {
    code: string;
    segment: { key: string; name: string; since: string };
    /** R, F, M in that order: "R 4: last order 31–88 days ago (30% of customers)". */
    dimensions: { dimension: "r" | "f" | "m"; score: number; explanation: string }[];
    behaviours: { key: string; name: string }[];
  } | null;
  /** The latest move between RFM segments; `from` is null when it was the first placement. */
  lastChange: { from: string | null; to: string; on: string } | null;
  /** Shopify's own predictions when the app has them (none today): label keys from the locale files. */
  predicted: { key: "predictedSpendTier" | "rfmGroup"; value: string }[];
  /**
   * The app's own predictions (P(alive), expected orders in 365 days, predicted 12-month value), each with its
   * one-sentence explanation in the admin's language; `unavailable`: one plain sentence why there are none.
   * Null: the customer has no counted order yet.
   */
  forecast:
    | { facts: { key: "pAlive" | "expectedOrders365" | "predictedValue12m"; value: string; explanation: string }[] }
    | { unavailable: string }
    | null;
  /** The app's own customer page, for an `app:` link. */
  appPath: string;
}
