import { z } from "zod";
import type { Db } from "../../platform/db.server";
import { type AdminClient } from "../../shopify/admin-client.server";
import { AdminUserErrors } from "../../shopify/admin-errors.server";
import { discountAdminUrl } from "../../shopify/admin-urls";
import { SEGMENT_KEYS } from "../../domain/rfm/segments";
import { BEHAVIOUR_KEYS } from "../../domain/rfm/behaviours";
import type { RfmSettings } from "../../domain/rfm/settings";
import {
  createSegmentDiscount,
  SegmentDiscountRequest,
  SegmentNotSyncedError,
} from "../../pipeline/write-back/shopify-segments.server";

/** The discount form as posted (strings); every field is checked by checkDiscountForm, not here. */
export const DiscountForm = z.object({
  intent: z.literal("discount"),
  segmentKey: z.string().default(""),
  title: z.string().default(""),
  code: z.string().default(""),
  kind: z.string().default(""),
  value: z.string().default(""),
  endsOn: z.string().default(""),
});
export type DiscountFormInput = z.infer<typeof DiscountForm>;

export type DiscountField = "segmentKey" | "title" | "code" | "kind" | "value" | "endsOn";

/** The app's own objections, one per field, shown on that field in the merchant's language. */
export type DiscountProblem =
  | "required"
  | "tooLong"
  | "codeShort"
  | "codeChars"
  | "number"
  | "positive"
  | "percentMax"
  | "date"
  | "endPast"
  | "unknownSegment"
  | "notSynced";

export interface DiscountResult {
  created: { code: string; adminUrl: string } | null;
  /** Ours: checked before anything is sent to Shopify. */
  fieldErrors: Partial<Record<DiscountField, DiscountProblem>>;
  /** Shopify's own userErrors, word for word (never swallowed). */
  shopifyErrors: string[];
}

const GROUP_KEYS: readonly string[] = [...SEGMENT_KEYS, ...BEHAVIOUR_KEYS];

/** Checks the form as posted; `today` (YYYY-MM-DD, UTC): an end date before it is refused here, not by Shopify. */
export function checkDiscountForm(
  input: DiscountFormInput,
  today: string,
): { request: SegmentDiscountRequest } | { fieldErrors: DiscountResult["fieldErrors"] } {
  const errors: DiscountResult["fieldErrors"] = {};
  if (!GROUP_KEYS.includes(input.segmentKey)) errors.segmentKey = "unknownSegment";
  const title = input.title.trim();
  if (title === "") errors.title = "required";
  else if (title.length > 255) errors.title = "tooLong";
  const code = input.code.trim();
  if (code === "") errors.code = "required";
  else if (code.length < 3) errors.code = "codeShort";
  else if (code.length > 255) errors.code = "tooLong";
  else if (!/^[A-Za-z0-9_-]+$/.test(code)) errors.code = "codeChars";
  if (input.kind !== "percentage" && input.kind !== "fixed_amount") errors.kind = "required";
  const valueText = input.value.trim().replace(",", ".");
  const value = Number(valueText);
  if (valueText === "") errors.value = "required";
  else if (!/^\d+(\.\d+)?$/.test(valueText) || !Number.isFinite(value)) errors.value = "number";
  else if (value <= 0) errors.value = "positive";
  else if (input.kind === "percentage" && value > 100) errors.value = "percentMax";
  const endsOn = input.endsOn.trim();
  if (endsOn !== "") {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(endsOn) && !Number.isNaN(Date.parse(`${endsOn}T00:00:00Z`));
    if (!valid) errors.endsOn = "date";
    else if (endsOn < today) errors.endsOn = "endPast";
  }
  if (Object.keys(errors).length > 0) return { fieldErrors: errors };
  const request = SegmentDiscountRequest.safeParse({
    segmentKey: input.segmentKey,
    title,
    code,
    kind: input.kind,
    value,
    endsAt: endsOn ? `${endsOn}T23:59:59Z` : null,
  });
  // The checks above are SegmentDiscountRequest's and more; a mismatch is a bug, not the merchant's input.
  if (!request.success) throw new Error(`discount form passed checks but not SegmentDiscountRequest: ${request.error}`);
  return { request: request.data };
}

/** Creates the code, or says what was wrong: the app's checks per field, or Shopify's own userErrors. */
export async function submitDiscountForm(
  deps: { db: Db; admin: () => AdminClient },
  shop: string,
  input: DiscountFormInput,
  now = new Date(),
): Promise<DiscountResult> {
  const checked = checkDiscountForm(input, now.toISOString().slice(0, 10));
  if ("fieldErrors" in checked) return { created: null, fieldErrors: checked.fieldErrors, shopifyErrors: [] };
  try {
    const { id } = await createSegmentDiscount({ db: deps.db, admin: deps.admin() }, shop, checked.request, now);
    return {
      created: { code: checked.request.code, adminUrl: discountAdminUrl(shop, id) },
      fieldErrors: {},
      shopifyErrors: [],
    };
  } catch (error) {
    if (error instanceof AdminUserErrors)
      return { created: null, fieldErrors: {}, shopifyErrors: error.userErrors.map((e) => e.message) };
    if (error instanceof SegmentNotSyncedError)
      return { created: null, fieldErrors: { segmentKey: "notSynced" }, shopifyErrors: [] };
    throw error;
  }
}

/** Why a segment has no Shopify segment to make a discount for (null: it has one). */
export type DiscountBlocker = "tagsOff" | "segmentTagsOff" | "behaviourTagOff" | "noEngagement" | "notYetWritten";

export function discountBlocker(
  key: string,
  settings: Pick<RfmSettings, "writeBack">,
  synced: boolean,
  hasEngagement: boolean,
): DiscountBlocker | null {
  if (synced) return null;
  const w = settings.writeBack;
  if (!w.enabled) return "tagsOff";
  const isBehaviour = (BEHAVIOUR_KEYS as readonly string[]).includes(key);
  if (isBehaviour && !(w.behaviourTags as readonly string[]).includes(key)) return "behaviourTagOff";
  if (!isBehaviour && !w.segmentTags) return "segmentTagsOff";
  if (key === "lost_engaged" && !hasEngagement) return "noEngagement";
  return "notYetWritten";
}
