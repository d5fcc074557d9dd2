import type { SerializeFrom } from "@remix-run/node";
import type { loadSegmentPage } from "./segment-view.server";

/** The segment page's loader data as the components receive it. */
export type SegmentPageData = SerializeFrom<typeof loadSegmentPage>;
