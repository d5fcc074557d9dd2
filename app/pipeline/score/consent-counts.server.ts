import { ACCEPTS_MARKETING_STATE } from "../../domain/consent";

/**
 * The SQL form of app/domain/consent.ts acceptsMarketing for one consent column, for queries built in TypeScript (the
 * segment list's subscribed-only filter; the run summary counts with pipeline/score/consent-counts.sql and its fragments) (`c."emailMarketingState"`):
 * true for SUBSCRIBED only, false for every other state and for none (NULL → false, never unknown).
 * test/ui/people-data.test.ts holds it to the domain function for every state.
 */
export function acceptsMarketingSql(column: string): string {
  return `coalesce(${column} = '${ACCEPTS_MARKETING_STATE}', false)`;
}
