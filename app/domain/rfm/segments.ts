import { z } from "zod";
import type { Scale } from "./scores";

/** Segments a rule can name; lost_engaged is lost refined by engagement, not a score rule. */
export const RULE_SEGMENT_KEYS = [
  "champions",
  "loyal",
  "potential_loyalist",
  "new",
  "promising",
  "needs_attention",
  "about_to_sleep",
  "at_risk",
  "cant_lose",
  "hibernating",
  "lost",
] as const;

/** Stable forever: these keys go into customer tags. */
export const SEGMENT_KEYS = [...RULE_SEGMENT_KEYS, "lost_engaged"] as const;
export const SegmentKey = z.enum(SEGMENT_KEYS);
export type SegmentKey = z.infer<typeof SegmentKey>;

const Range = z
  .tuple([z.number().int().min(1).max(5), z.number().int().min(1).max(5)])
  .refine(([lo, hi]) => lo <= hi, "range low must not exceed high");

export const SegmentRule = z.object({
  // lost_engaged is derived from lost, never a rule's target.
  segment: z.enum(RULE_SEGMENT_KEYS),
  r: Range,
  f: Range,
  m: Range,
});
export type SegmentRule = z.infer<typeof SegmentRule>;

const rule = (
  segment: SegmentRule["segment"],
  r: [number, number],
  f: [number, number],
  m: [number, number],
): SegmentRule => ({ segment, r, f, m });

/**
 * Ordered, first match wins. Each row follows the merchant-facing description
 * (see SEGMENT_DESCRIPTIONS); together they cover every R×F×M triple.
 */
export const DEFAULT_RULES: Record<Scale, SegmentRule[]> = {
  5: [
    rule("champions", [4, 5], [4, 5], [4, 5]),
    rule("loyal", [3, 5], [3, 5], [3, 5]),
    rule("new", [5, 5], [1, 1], [1, 5]),
    rule("new", [4, 4], [1, 1], [1, 2]),
    rule("promising", [4, 5], [1, 2], [3, 5]),
    rule("potential_loyalist", [4, 5], [2, 5], [1, 2]),
    rule("cant_lose", [1, 1], [3, 5], [4, 5]),
    rule("at_risk", [1, 2], [3, 5], [3, 5]),
    rule("needs_attention", [2, 3], [1, 2], [3, 5]),
    rule("about_to_sleep", [3, 3], [1, 5], [1, 2]),
    rule("about_to_sleep", [2, 2], [3, 5], [1, 2]),
    rule("hibernating", [2, 2], [1, 2], [1, 2]),
    rule("lost", [1, 1], [1, 5], [1, 5]),
  ],
  4: [
    rule("champions", [4, 4], [3, 4], [3, 4]),
    rule("loyal", [3, 3], [3, 4], [3, 4]),
    rule("new", [4, 4], [1, 1], [1, 4]),
    rule("promising", [3, 4], [1, 2], [3, 4]),
    rule("potential_loyalist", [3, 4], [2, 4], [1, 2]),
    rule("cant_lose", [1, 1], [3, 4], [4, 4]),
    rule("at_risk", [1, 2], [3, 4], [3, 4]),
    rule("needs_attention", [2, 2], [1, 2], [3, 4]),
    rule("about_to_sleep", [3, 3], [1, 1], [1, 2]),
    rule("about_to_sleep", [2, 2], [3, 4], [1, 2]),
    rule("hibernating", [2, 2], [1, 2], [1, 2]),
    rule("lost", [1, 1], [1, 4], [1, 4]),
  ],
};

const inRange = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;

/** The first rule matching the triple, or null. */
export function segmentOf(rules: readonly SegmentRule[], r: number, f: number, m: number): SegmentKey | null {
  for (const x of rules) if (inRange(r, x.r) && inRange(f, x.f) && inRange(m, x.m)) return x.segment;
  return null;
}

/** Index of a triple in segmentLookup: the SQL service reads the same table. */
export const tripleIndex = (scale: Scale, r: number, f: number, m: number) =>
  (r - 1) * scale * scale + (f - 1) * scale + (m - 1);

/** Every triple's segment, in tripleIndex order. Throws when a triple is uncovered. */
export function segmentLookup(rules: readonly SegmentRule[], scale: Scale): SegmentKey[] {
  const out: SegmentKey[] = [];
  for (let r = 1; r <= scale; r++)
    for (let f = 1; f <= scale; f++)
      for (let m = 1; m <= scale; m++) {
        const s = segmentOf(rules, r, f, m);
        if (!s) throw new Error(`No rule covers R${r} F${f} M${m}`);
        out.push(s);
      }
  return out;
}

/** What is wrong with an edited rule table: ranges beyond the scale, uncovered triples, unreachable rules. */
export function ruleTableProblems(rules: readonly SegmentRule[], scale: Scale): string[] {
  const problems: string[] = [];
  rules.forEach((x, i) => {
    for (const [name, [lo, hi]] of [
      ["R", x.r],
      ["F", x.f],
      ["M", x.m],
    ] as const)
      if (hi > scale || lo < 1)
        problems.push(`Rule ${i + 1} (${x.segment}): ${name} ${lo}–${hi} is outside 1–${scale}`);
  });
  const uncovered: string[] = [];
  const used = new Set<number>();
  for (let r = 1; r <= scale; r++)
    for (let f = 1; f <= scale; f++)
      for (let m = 1; m <= scale; m++) {
        const i = rules.findIndex((x) => inRange(r, x.r) && inRange(f, x.f) && inRange(m, x.m));
        if (i < 0) uncovered.push(`${r}${f}${m}`);
        else used.add(i);
      }
  if (uncovered.length > 0)
    problems.push(
      `No rule covers ${uncovered.length} score combination(s) (RFM): ${uncovered.slice(0, 12).join(", ")}${uncovered.length > 12 ? ", …" : ""}`,
    );
  rules.forEach((x, i) => {
    if (!used.has(i) && problems.length === 0)
      problems.push(`Rule ${i + 1} (${x.segment}) never matches: earlier rules take all its combinations`);
  });
  return problems;
}
