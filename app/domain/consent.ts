/**
 * Marketing consent as the Admin API 2026-10 reports it, and the one rule the
 * app applies to it: a customer may be mailed (or texted) only when the
 * channel's state is SUBSCRIBED. PENDING (double opt-in not confirmed yet),
 * NOT_SUBSCRIBED / NEVER_SUBSCRIBED, UNSUBSCRIBED, INVALID and REDACTED all
 * mean no.
 */

/** CustomerEmailAddress.marketingState (enum CustomerEmailAddressMarketingState). */
export const EMAIL_MARKETING_STATES = ["INVALID", "NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED"] as const;
export type EmailMarketingState = (typeof EMAIL_MARKETING_STATES)[number];

/**
 * CustomerPhoneNumber.smsMarketingConsent.state (enum CustomerMarketingConsentState; the older
 * CustomerSmsMarketingState of the deprecated marketingState field had NOT_SUBSCRIBED instead of NEVER_SUBSCRIBED).
 */
export const SMS_MARKETING_STATES = ["NEVER_SUBSCRIBED", "PENDING", "REDACTED", "SUBSCRIBED", "UNSUBSCRIBED"] as const;
export type SmsMarketingState = (typeof SMS_MARKETING_STATES)[number];

/** CustomerMarketingOptInLevel. */
export const MARKETING_OPT_IN_LEVELS = ["CONFIRMED_OPT_IN", "SINGLE_OPT_IN", "UNKNOWN"] as const;

/** The one state in which a channel may receive marketing (the SQL counts and filters use it too). */
export const ACCEPTS_MARKETING_STATE = "SUBSCRIBED";

/** Whether a channel in this state may receive marketing: SUBSCRIBED only. */
export function acceptsMarketing(state: string | null | undefined): boolean {
  return state === ACCEPTS_MARKETING_STATE;
}

/**
 * A REST webhook's consent state ("subscribed", "not_subscribed", …) in the GraphQL enum form the bulk export
 * gives, so both paths store the same value. For SMS the REST "not_subscribed" is GraphQL's NEVER_SUBSCRIBED.
 */
export function consentStateFromRest(channel: "email" | "sms", state: string | null | undefined): string | null {
  if (!state) return null;
  const upper = state.trim().toUpperCase();
  if (channel === "sms" && upper === "NOT_SUBSCRIBED") return "NEVER_SUBSCRIBED";
  return upper;
}

/** A REST opt-in level ("single_opt_in") in the GraphQL enum form (SINGLE_OPT_IN). */
export function optInLevelFromRest(level: string | null | undefined): string | null {
  return level ? level.trim().toUpperCase() : null;
}
