import type { BehaviourKey } from "./behaviours";
import type { SegmentKey } from "./segments";
import type { RfmSettings } from "./settings";
import type { BROWSER_SEGMENT_KEY } from "../engagement";

/** The one segment tag a customer carries: their RFM segment, or "browsing" when they browse and never bought. */
export type TaggedSegment = SegmentKey | typeof BROWSER_SEGMENT_KEY;

/** A key as a tag: prefix + key with hyphens ("rfm-" + "vip_top_5" → "rfm-vip-top-5"). Never translated. */
export function tagOf(prefix: string, key: TaggedSegment | BehaviourKey): string {
  return `${prefix}${key.replaceAll("_", "-")}`;
}

/** The tags the app wants on a customer. */
export function appTagsFor(
  segment: TaggedSegment | null,
  behaviours: readonly string[],
  settings: Pick<RfmSettings, "writeBack">,
): string[] {
  const w = settings.writeBack;
  if (!w.enabled || segment === null) return [];
  const tags = w.segmentTags ? [tagOf(w.tagPrefix, segment)] : [];
  for (const b of behaviours)
    if ((w.behaviourTags as readonly string[]).includes(b)) tags.push(tagOf(w.tagPrefix, b as BehaviourKey));
  return tags.sort();
}

const lower = (tags: readonly string[]) => new Set(tags.map((t) => t.toLowerCase()));

/**
 * From the app tags we wrote to the ones we want: what to remove and what to
 * add. Only tags the app wrote are ever removed, so merchant and other apps'
 * tags are untouched whatever they are. Shopify compares tags case-insensitively.
 */
export function tagChange(written: readonly string[], desired: readonly string[]): { add: string[]; remove: string[] } {
  const want = lower(desired);
  const have = lower(written);
  return {
    add: desired.filter((t) => !have.has(t.toLowerCase())),
    remove: written.filter((t) => !want.has(t.toLowerCase())),
  };
}
