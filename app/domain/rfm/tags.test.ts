import { describe, expect, it } from "vitest";
import { appTagsFor, tagChange, tagOf } from "./tags";
import { DEFAULT_RFM_SETTINGS, RfmSettings } from "./settings";
import { SEGMENT_KEYS } from "./segments";
import { BEHAVIOUR_KEYS } from "./behaviours";

/** Shopify's semantics: tagsRemove then tagsAdd, case-insensitive, no duplicates. */
function applyOnShopify(tags: string[], change: { add: string[]; remove: string[] }): string[] {
  const drop = new Set(change.remove.map((t) => t.toLowerCase()));
  const out = tags.filter((t) => !drop.has(t.toLowerCase()));
  for (const t of change.add) if (!out.some((x) => x.toLowerCase() === t.toLowerCase())) out.push(t);
  return out;
}

function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe("app tags", () => {
  it("are prefix + key with hyphens, never translated", () => {
    expect(tagOf("rfm-", "cant_lose")).toBe("rfm-cant-lose");
    expect(tagOf("rfm-", "vip_top_5")).toBe("rfm-vip-top-5");
    const settings = RfmSettings.parse({ preset: "nl", writeBack: { behaviourTags: ["vip_top_5"] } });
    expect(appTagsFor("champions", ["vip_top_5", "coupon_shopper"], settings)).toEqual([
      "rfm-champions",
      "rfm-vip-top-5",
    ]);
    expect(appTagsFor("champions", [], RfmSettings.parse({ writeBack: { enabled: false } }))).toEqual([]);
  });

  it("refuses prefixes Shopify would mangle or that could hide merchant tags", () => {
    for (const bad of ["", "RFM-", "rfm,", " rfm-", "a".repeat(21)])
      expect(RfmSettings.safeParse({ writeBack: { tagPrefix: bad } }).success, bad).toBe(false);
  });

  it("PROPERTY: over random merchant tag sets and app states, merchant tags survive and the app tags end exactly as desired", () => {
    const random = rng(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    const merchantPool = [
      "VIP",
      "vip",
      "wholesale",
      "rfm-manual",
      "RFM",
      "newsletter",
      "Klant 2024",
      "rfm-",
      "rfm-champion",
      "b2b",
      "retour",
    ];
    for (let run = 0; run < 2_000; run++) {
      const prefix = pick(["rfm-", "seg-", "x_"]);
      const oldPrefix = pick(["rfm-", prefix]);
      const settings = RfmSettings.parse({
        writeBack: { tagPrefix: prefix, behaviourTags: BEHAVIOUR_KEYS.filter(() => random() < 0.3) },
      });
      const merchant = [...new Set(merchantPool.filter(() => random() < 0.3))];
      // What the app wrote earlier (possibly under another prefix), minus tags a merchant happens to share.
      const written = [
        ...new Set([
          tagOf(oldPrefix, pick(SEGMENT_KEYS)),
          ...BEHAVIOUR_KEYS.filter(() => random() < 0.2).map((b) => tagOf(oldPrefix, b)),
        ]),
      ].filter((t) => !merchant.some((m) => m.toLowerCase() === t.toLowerCase()));
      const onShopify = [...merchant, ...written].sort(() => random() - 0.5);
      const desired = appTagsFor(
        pick(SEGMENT_KEYS),
        BEHAVIOUR_KEYS.filter(() => random() < 0.3),
        settings,
      );
      const after = applyOnShopify(onShopify, tagChange(written, desired));
      for (const m of merchant) expect(after, `merchant tag ${m} in run ${run}`).toContain(m);
      const appNow = after.filter((t) => !merchant.includes(t));
      expect(new Set(appNow.map((t) => t.toLowerCase()))).toEqual(new Set(desired.map((t) => t.toLowerCase())));
      // Applying the same change again is a no-op: nothing left to do.
      expect(tagChange(desired, desired)).toEqual({ add: [], remove: [] });
    }
  });

  it("defaults: segment tag on, behaviour tags off until the merchant switches them on", () => {
    expect(appTagsFor("at_risk", ["vip_top_1"], DEFAULT_RFM_SETTINGS)).toEqual(["rfm-at-risk"]);
  });
});
