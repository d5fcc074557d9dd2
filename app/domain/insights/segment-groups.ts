import type { SegmentKey } from "../rfm/segments";

/** "Became loyal": the two best RFM segments. */
export const LOYAL_SEGMENTS = ["champions", "loyal"] as const satisfies readonly SegmentKey[];
/** "Did not come back": gone quiet for good (lost_engaged is lost, refined by engagement). */
export const LOST_SEGMENTS = ["lost", "hibernating", "lost_engaged"] as const satisfies readonly SegmentKey[];
