// A customer's profile as the app stores it. Webhooks, bulk exports and the pixel's verification all write it
// through the set-based rule in inbox/apply-changes.server.ts (applyChanges) or bulk-ingest.server.ts.

export interface CustomerRecord {
  id: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  tags: string[];
  phone: string | null;
  countryCode: string | null;
  /** Consent in the GraphQL enum form (SUBSCRIBED, …); app/domain/consent.ts decides what it allows. */
  emailMarketingState: string | null;
  emailMarketingOptInLevel: string | null;
  emailMarketingUpdatedAt: Date | null;
  smsMarketingState: string | null;
  smsMarketingOptInLevel: string | null;
  smsMarketingUpdatedAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date;
}

/** A customer's profile fields (everything but the keys and Shopify's updated_at). */
export type CustomerProfile = Omit<CustomerRecord, "id" | "updatedAt">;
