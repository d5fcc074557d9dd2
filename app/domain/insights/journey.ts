/**
 * Order.customerJourneySummary as the app stores it (OrderJourney): one state and the first visit's facts. The
 * bulk export and orders.journeys both store through this, so an order reads the same whichever brought it.
 */

/** The part of customerJourneySummary the app asks for (operations/orders.ts JOURNEY_SELECTION). */
export interface JourneySummaryJson {
  ready: boolean;
  customerOrderIndex?: number | null;
  daysToConversion?: number | null;
  firstVisit?: {
    source: string;
    sourceType?: string | null;
    utmParameters?: { campaign?: string | null; medium?: string | null; source?: string | null } | null;
  } | null;
}

/** attributed: ready with a first visit; no_visit: ready, no session recorded; pending: not ready; none: no summary. */
export type JourneyState = "attributed" | "no_visit" | "pending" | "none";

export interface JourneyFacts {
  state: JourneyState;
  customerOrderIndex: number | null;
  daysToConversion: number | null;
  source: string | null;
  sourceType: string | null;
  utmCampaign: string | null;
  utmMedium: string | null;
  utmSource: string | null;
}

const blank = (value: string | null | undefined) =>
  value === undefined || value === null || value === "" ? null : value;

export function journeyFacts(summary: JourneySummaryJson | null | undefined): JourneyFacts {
  const none = {
    customerOrderIndex: null,
    daysToConversion: null,
    source: null,
    sourceType: null,
    utmCampaign: null,
    utmMedium: null,
    utmSource: null,
  };
  if (!summary) return { state: "none", ...none };
  if (!summary.ready) return { state: "pending", ...none };
  const visit = summary.firstVisit ?? null;
  const utm = visit?.utmParameters ?? null;
  return {
    state: visit ? "attributed" : "no_visit",
    customerOrderIndex: summary.customerOrderIndex ?? null,
    daysToConversion: summary.daysToConversion ?? null,
    source: blank(visit?.source),
    sourceType: blank(visit?.sourceType),
    utmCampaign: blank(utm?.campaign),
    utmMedium: blank(utm?.medium),
    utmSource: blank(utm?.source),
  };
}
