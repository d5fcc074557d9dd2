import type { Customer } from "../../app/generated/prisma/client";
import type { GeneratedCustomer } from "../emulator/generator";

/** A customer's profile and consent as the app should hold it, from what the emulator's generator gave it. */
export interface Profile {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  countryCode: string | null;
  emailMarketingState: string | null;
  emailMarketingOptInLevel: string | null;
  emailMarketingUpdatedAt: string | null;
  smsMarketingState: string | null;
  smsMarketingOptInLevel: string | null;
  smsMarketingUpdatedAt: string | null;
}

export function expectedProfile(c: GeneratedCustomer): Profile {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    locale: c.locale,
    countryCode: c.countryCode,
    emailMarketingState: c.emailMarketing,
    emailMarketingOptInLevel: c.emailOptInLevel,
    emailMarketingUpdatedAt: c.emailConsentUpdatedAt?.toISOString() ?? null,
    smsMarketingState: c.sms?.state ?? null,
    smsMarketingOptInLevel: c.sms?.optInLevel ?? null,
    smsMarketingUpdatedAt: c.sms?.updatedAt?.toISOString() ?? null,
  };
}

/** The stored Customer columns a profile is read from (the Prisma model's own types). */
type CustomerRow = Pick<Customer, keyof Profile>;

export function storedProfile(row: CustomerRow): Profile {
  return {
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone,
    locale: row.locale,
    countryCode: row.countryCode,
    emailMarketingState: row.emailMarketingState,
    emailMarketingOptInLevel: row.emailMarketingOptInLevel,
    emailMarketingUpdatedAt: row.emailMarketingUpdatedAt?.toISOString() ?? null,
    smsMarketingState: row.smsMarketingState,
    smsMarketingOptInLevel: row.smsMarketingOptInLevel,
    smsMarketingUpdatedAt: row.smsMarketingUpdatedAt?.toISOString() ?? null,
  };
}

/**
 * Customer by customer: every id in `ids` must have a stored row whose profile equals the generator's. Returns the
 * differences (empty when all match), one entry per customer that differs or is missing.
 */
export function profileDifferences(
  ids: bigint[],
  rows: (CustomerRow & { id: bigint })[],
  truth: (id: bigint) => GeneratedCustomer | undefined,
): { id: string; expected: Profile | null; actual: Profile | null }[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: { id: string; expected: Profile | null; actual: Profile | null }[] = [];
  for (const id of ids) {
    const generated = truth(id);
    const row = byId.get(id);
    const expected = generated ? expectedProfile(generated) : null;
    const actual = row ? storedProfile(row) : null;
    if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push({ id: String(id), expected, actual });
  }
  return out;
}
