import { describe, expect, it } from "vitest";
import {
  ENGAGEMENT_LEVELS,
  ORDER_VALUES,
  PERSONA_KEYS,
  PURCHASES,
  RECENCIES,
  countPersonas,
  personaNeedsEngagement,
  personaOf,
  type PersonaInputs,
} from "../../app/domain/personas";
import { expectedPersona } from "../support/personas-oracle";

/** The personas against their rule table (the oracle: test/support/personas-oracle.ts) over EVERY combination of inputs. */
const ALL: PersonaInputs[] = ENGAGEMENT_LEVELS.flatMap((engagement) =>
  PURCHASES.flatMap((purchases) =>
    RECENCIES.flatMap((recency) => ORDER_VALUES.map((value) => ({ engagement, purchases, recency, value }))),
  ),
);

describe("engagement × purchase personas", () => {
  it("GIVEN every combination of engagement, purchases, recency and value THEN the table names the expected persona", () => {
    expect(ALL).toHaveLength(36);
    for (const inputs of ALL) expect([inputs, personaOf(inputs)]).toEqual([inputs, expectedPersona(inputs)]);
  });

  it("GIVEN every combination THEN each of the twelve personas is reached", () => {
    expect(new Set(ALL.map(personaOf))).toEqual(new Set(PERSONA_KEYS));
  });

  it("GIVEN a never-buyer THEN recency and value do not matter", () => {
    for (const engagement of ENGAGEMENT_LEVELS) {
      const names = new Set(ALL.filter((i) => i.purchases === "never" && i.engagement === engagement).map(personaOf));
      expect(names.size).toBe(1);
    }
  });

  it("GIVEN each persona THEN it needs engagement data to be told apart (no zeros without it)", () => {
    for (const p of PERSONA_KEYS) expect(personaNeedsEngagement(p)).toBe(true);
  });

  it("GIVEN cells of customers THEN the counts add up per persona, every persona present", () => {
    const counts = countPersonas(ALL.map((inputs, i) => ({ inputs, customers: i + 1 })));
    expect(Object.keys(counts).sort()).toEqual([...PERSONA_KEYS].sort());
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe((36 * 37) / 2);
    const expected = new Map<string, number>();
    ALL.forEach((inputs, i) =>
      expected.set(expectedPersona(inputs), (expected.get(expectedPersona(inputs)) ?? 0) + i + 1),
    );
    for (const [k, n] of expected) expect(counts[k as keyof typeof counts]).toBe(n);
  });
});
