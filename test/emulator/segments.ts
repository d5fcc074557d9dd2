import type { EmulatedShop } from "./shop-state";
import { filterNames, parseSegmentQuery, SegmentQueryError } from "./segment-query";

/**
 * Shopify customer segments and segment-only discount codes, as far as the
 * app uses them. Segment queries are checked against the subset of Shopify's
 * segment query language the emulator understands (anything else is refused,
 * never silently accepted).
 */

export interface SegmentRecord {
  id: string;
  name: string;
  query: string;
  creationDate: string;
  lastEditDate: string;
}

export interface DiscountRecord {
  id: string;
  code: string;
  title: string;
  segmentIds: string[];
  percentage: number | null;
  amount: string | null;
  startsAt: string;
  endsAt: string | null;
}

/** Shopify's userError message for a query the segment query language refuses, or null (segment-query.ts). */
export function segmentQueryError(shop: EmulatedShop, query: string): string | null {
  try {
    parseSegmentQuery(query, new Set(filterNames(shop.engagementFilters)));
    return null;
  } catch (error) {
    if (error instanceof SegmentQueryError) return error.message;
    throw error;
  }
}

let nextSegment = 1;
let nextDiscount = 1;

export function segmentCreate(shop: EmulatedShop, { name, query }: { name: string; query: string }) {
  const fail = (field: string, message: string) => ({ segment: null, userErrors: [{ field: [field], message }] });
  if (name.trim() === "" || name.length > 255) return fail("name", "Name is invalid");
  if ([...shop.segments.values()].some((s) => s.name === name)) return fail("name", "Name has already been taken");
  const invalid = segmentQueryError(shop, query);
  if (invalid) return fail("query", invalid);
  const now = new Date().toISOString();
  const segment: SegmentRecord = {
    id: `gid://shopify/Segment/${500_000 + nextSegment++}`,
    name,
    query,
    creationDate: now,
    lastEditDate: now,
  };
  shop.segments.set(segment.id, segment);
  return { segment, userErrors: [] };
}

export function segmentUpdate(
  shop: EmulatedShop,
  { id, name, query }: { id: string; name?: string | null; query?: string | null },
) {
  const fail = (field: string, message: string) => ({ segment: null, userErrors: [{ field: [field], message }] });
  const segment = shop.segments.get(id);
  if (!segment) return fail("id", "Segment does not exist");
  if (name !== undefined && name !== null) {
    if (name.trim() === "" || name.length > 255) return fail("name", "Name is invalid");
    if ([...shop.segments.values()].some((s) => s.name === name && s.id !== id))
      return fail("name", "Name has already been taken");
  }
  if (query !== undefined && query !== null) {
    const invalid = segmentQueryError(shop, query);
    if (invalid) return fail("query", invalid);
  }
  Object.assign(segment, {
    ...(name ? { name } : {}),
    ...(query ? { query } : {}),
    lastEditDate: new Date().toISOString(),
  });
  return { segment, userErrors: [] };
}

export function segmentDelete(shop: EmulatedShop, { id }: { id: string }) {
  if (!shop.segments.delete(id))
    return { deletedSegmentId: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
  return { deletedSegmentId: id, userErrors: [] };
}

interface BasicCodeDiscountInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  context?: { customerSegments?: { add?: string[] | null } | null; all?: string | null } | null;
  customerGets?: {
    value?: { percentage?: number | null; discountAmount?: { amount?: string | null } | null } | null;
    items?: { all?: boolean | null } | null;
  } | null;
}

export function discountCodeBasicCreate(
  shop: EmulatedShop,
  { basicCodeDiscount: d }: { basicCodeDiscount: BasicCodeDiscountInput },
) {
  const errors: { field: string[]; message: string; code: string; extraInfo: null }[] = [];
  const err = (field: string[], message: string, code: string) =>
    errors.push({ field: ["basicCodeDiscount", ...field], message, code, extraInfo: null });
  const code = d.code?.trim() ?? "";
  if (code === "") err(["code"], "Code can't be blank", "BLANK");
  else if (code.length > 255) err(["code"], "Code is too long (maximum is 255 characters)", "TOO_LONG");
  else if ([...shop.discounts.values()].some((x) => x.code.toLowerCase() === code.toLowerCase()))
    err(["code"], "Code must be unique. Please try a different code.", "TAKEN");
  if (!d.title?.trim()) err(["title"], "Title can't be blank", "BLANK");
  const startsAt = d.startsAt ?? new Date().toISOString();
  if (d.endsAt && Date.parse(d.endsAt) <= Date.parse(startsAt))
    err(["endsAt"], "Ends at needs to be after starts_at", "INVALID");
  const value = d.customerGets?.value;
  const percentage = value?.percentage ?? null;
  const amount = value?.discountAmount?.amount ?? null;
  if ((percentage === null) === (amount === null))
    err(["customerGets", "value"], "Exactly one of percentage or discountAmount must be given", "INVALID");
  if (percentage !== null && !(percentage > 0 && percentage <= 1))
    err(["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE");
  if (amount !== null && !(Number(amount) > 0))
    err(["customerGets", "value", "discountAmount", "amount"], "Value must be greater than 0", "GREATER_THAN");
  if (!d.customerGets?.items?.all)
    throw new Error("discounts on specific products or collections are not implemented by the emulator");
  const segmentIds = d.context?.customerSegments?.add ?? [];
  for (const id of segmentIds)
    if (!shop.segments.has(id)) err(["context", "customerSegments", "add"], `Segment ${id} does not exist`, "INVALID");
  if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };
  const record: DiscountRecord = {
    id: `gid://shopify/DiscountCodeNode/${800_000 + nextDiscount++}`,
    code,
    title: d.title ?? code,
    segmentIds,
    percentage,
    amount,
    startsAt,
    endsAt: d.endsAt ?? null,
  };
  shop.discounts.set(record.id, record);
  return { codeDiscountNode: { __typename: "DiscountCodeNode", id: record.id }, userErrors: [] };
}
