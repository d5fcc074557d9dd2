import { describe, expect, it } from "vitest";
import {
  acceptsMarketing,
  consentStateFromRest,
  EMAIL_MARKETING_STATES,
  optInLevelFromRest,
  SMS_MARKETING_STATES,
} from "./consent";

describe("acceptsMarketing: only SUBSCRIBED may be mailed or texted", () => {
  it.each(EMAIL_MARKETING_STATES.map((s) => [s, s === "SUBSCRIBED"] as const))(
    "GIVEN email state %s THEN accepts marketing is %s",
    (state, expected) => {
      expect(acceptsMarketing(state)).toBe(expected);
    },
  );

  it.each(SMS_MARKETING_STATES.map((s) => [s, s === "SUBSCRIBED"] as const))(
    "GIVEN SMS state %s THEN accepts marketing is %s",
    (state, expected) => {
      expect(acceptsMarketing(state)).toBe(expected);
    },
  );

  it("GIVEN no state, or the REST lower-case form, THEN it does not accept marketing", () => {
    expect(acceptsMarketing(null)).toBe(false);
    expect(acceptsMarketing(undefined)).toBe(false);
    expect(acceptsMarketing("subscribed")).toBe(false);
  });

  it("GIVEN the enums of the 2026-10 schema THEN the lists here are exactly them", async () => {
    const { readFileSync } = await import("node:fs");
    const { gunzipSync } = await import("node:zlib");
    const schema = JSON.parse(
      gunzipSync(readFileSync(new URL("../shopify/admin-2026-10.introspection.json.gz", import.meta.url))).toString(),
    ) as { data?: { __schema: Introspection }; __schema?: Introspection };
    const types = (schema.data?.__schema ?? schema.__schema)?.types ?? [];
    const values = (name: string) => (types.find((t) => t.name === name)?.enumValues ?? []).map((v) => v.name).sort();
    expect(values("CustomerEmailAddressMarketingState")).toEqual([...EMAIL_MARKETING_STATES].sort());
    expect(values("CustomerMarketingConsentState")).toEqual([...SMS_MARKETING_STATES].sort());
  });
});

interface Introspection {
  types: { name: string; enumValues?: { name: string }[] | null }[];
}

describe("webhook consent states in the GraphQL enum form", () => {
  it("GIVEN REST states THEN they are upper-cased, SMS not_subscribed becoming NEVER_SUBSCRIBED", () => {
    expect(consentStateFromRest("email", "subscribed")).toBe("SUBSCRIBED");
    expect(consentStateFromRest("email", "not_subscribed")).toBe("NOT_SUBSCRIBED");
    expect(consentStateFromRest("sms", "not_subscribed")).toBe("NEVER_SUBSCRIBED");
    expect(consentStateFromRest("sms", "pending")).toBe("PENDING");
    expect(consentStateFromRest("sms", null)).toBeNull();
    expect(optInLevelFromRest("confirmed_opt_in")).toBe("CONFIRMED_OPT_IN");
    expect(optInLevelFromRest(null)).toBeNull();
  });
});
