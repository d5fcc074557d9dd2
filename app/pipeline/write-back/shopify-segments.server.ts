import { anyEngagement } from "../engagement/engagement-source.server";
import { z } from "zod";
import type { Db } from "../../platform/db.server";
import type { Logger } from "../../platform/logger.server";
import { type AdminClient } from "../../shopify/admin-client.server";
import { assertNoUserErrors } from "../../shopify/admin-errors.server";
import { discountCodeBasicCreate } from "../../shopify/discounts.server";
import {
  segmentByName,
  segmentCreate,
  segmentDelete,
  segmentExists,
  segmentUpdate,
} from "../../shopify/segments.server";
import { SEGMENT_KEYS, type SegmentKey } from "../../domain/rfm/segments";
import { BEHAVIOUR_KEYS, type BehaviourKey } from "../../domain/rfm/behaviours";
import { segmentName } from "../../i18n/rfm/presets";
import { tagOf } from "../../domain/rfm/tags";
import { loadRfmSettings } from "../../settings/settings.server";
import { BROWSER_SEGMENT_KEY, browserSegmentQuery } from "../../domain/engagement";
import { MESSAGES } from "../../i18n/messages";
import { languageOf } from "../../i18n/locale";

/**
 * A Shopify customer segment per enabled app segment, named in the
 * merchant's language ("RFM · Topklanten") with the query
 * `customer_tags CONTAINS 'rfm-champions'`, kept in step with renames and
 * prefix changes. Only differences are written: a no-change sync makes no call.
 */

type Segment = { id: string; name: string; query: string };

export interface SegmentSyncOutcome {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** The Shopify segment of the customers carrying an app tag. */
const tagQuery = (prefix: string, key: Parameters<typeof tagOf>[1]) => `customer_tags CONTAINS '${tagOf(prefix, key)}'`;

/**
 * The segments the merchant has switched on, as Shopify segments should show them, in RFM order. Lost but
 * engaged needs storefront visits or email clicks: without any, nobody can be in it, so no Shopify segment.
 */
export function desiredShopifySegments(
  settings: Awaited<ReturnType<typeof loadRfmSettings>>,
  locale: string | null,
  hasEngagement = true,
) {
  const w = settings.writeBack;
  if (!w.enabled) return [];
  const keys: (SegmentKey | BehaviourKey)[] = [
    ...(w.segmentTags ? SEGMENT_KEYS.filter((k) => hasEngagement || k !== "lost_engaged") : []),
    ...BEHAVIOUR_KEYS.filter((b) => w.behaviourTags.includes(b)),
  ];
  return keys.map((key) => ({
    key,
    name: `RFM · ${segmentName(key, settings, locale)}`,
    query: tagQuery(w.tagPrefix, key),
  }));
}

export async function syncShopifySegments(
  deps: { db: Db; admin: AdminClient; logger: Logger },
  shop: string,
): Promise<SegmentSyncOutcome> {
  const [settings, shopRow, stored, engagement, engagementSync] = await Promise.all([
    loadRfmSettings(deps.db, shop),
    deps.db.shop.findUnique({ where: { shop }, select: { adminLocale: true } }),
    deps.db.shopifySegment.findMany({ where: { shop } }),
    anyEngagement(deps.db, shop),
    deps.db.engagementSync.findUnique({ where: { shop }, select: { storefrontEvents: true } }),
  ]);
  const byKey = new Map(stored.map((s) => [s.key, s]));
  const outcome: SegmentSyncOutcome = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  // The shop's own setting, not whoever last opened the app: names must not flip with each admin's language.
  const language = settings.writeBack.language ?? shopRow?.adminLocale ?? null;
  const desired: { key: string; name: string; query: string }[] = desiredShopifySegments(
    settings,
    language,
    engagement !== null,
  );
  // Browses often, never bought: on Shopify's storefront filter where the shop has it, else on the app's tag
  // (the pixel's visit days), which like lost_engaged nobody can carry without engagement data.
  const w = settings.writeBack;
  const browsingQuery = engagementSync?.storefrontEvents
    ? browserSegmentQuery()
    : w.segmentTags && engagement !== null
      ? tagQuery(w.tagPrefix, BROWSER_SEGMENT_KEY)
      : null;
  if (w.enabled && browsingQuery !== null)
    desired.push({
      key: BROWSER_SEGMENT_KEY,
      name: `RFM · ${MESSAGES[languageOf(language)].browsers.title}`,
      query: browsingQuery,
    });
  // Switched off (or all app tags removed): its tag is gone, so is its segment.
  for (const old of stored.filter((s) => !desired.some((d) => d.key === s.key))) {
    // Already gone in Shopify (the merchant deleted it) is what we want: looked up first, since
    // segmentDelete's userErrors carry no code to tell that refusal from others.
    if (await segmentExists(deps.admin, old.segmentId))
      assertNoUserErrors("segmentDelete", await segmentDelete(deps.admin, old.segmentId));
    await deps.db.shopifySegment.delete({ where: { shop_key: { shop, key: old.key } } });
    outcome.deleted++;
  }
  for (const want of desired) {
    const have = byKey.get(want.key);
    if (have && have.name === want.name && have.query === want.query) {
      outcome.unchanged++;
      continue;
    }
    let segment: Segment | null | undefined;
    if (have) {
      const updated = await segmentUpdate(deps.admin, have.segmentId, { name: want.name, query: want.query });
      segment = assertNoUserErrors("segmentUpdate", updated).segment;
      outcome.updated++;
    } else {
      // Looked up first, not recognised by error text afterwards (segmentCreate's userErrors carry no code):
      // a segment of this name is ours from before (a reinstall), adopted with our query.
      const existing = await segmentByName(deps.admin, want.name);
      if (existing) {
        const updated = await segmentUpdate(deps.admin, existing.id, { query: want.query });
        segment = assertNoUserErrors("segmentUpdate", updated).segment;
        outcome.updated++;
      } else {
        segment = assertNoUserErrors("segmentCreate", await segmentCreate(deps.admin, want.name, want.query)).segment;
        outcome.created++;
      }
    }
    if (!segment) throw new Error(`Shopify returned no segment for ${want.key}`);
    await deps.db.shopifySegment.upsert({
      where: { shop_key: { shop, key: want.key } },
      create: { shop, key: want.key, segmentId: segment.id, name: want.name, query: want.query },
      update: { segmentId: segment.id, name: want.name, query: want.query, syncedAt: new Date() },
    });
  }
  return outcome;
}

/** What the merchant asks for when creating a discount from a segment. */
export const SegmentDiscountRequest = z
  .object({
    segmentKey: z.union([z.enum(SEGMENT_KEYS), z.enum(BEHAVIOUR_KEYS)]),
    title: z.string().trim().min(1).max(255),
    code: z
      .string()
      .trim()
      .min(3)
      .max(255)
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only"),
    kind: z.enum(["percentage", "fixed_amount"]),
    /** Percent (1–100) or an amount in the shop's currency. */
    value: z.number().positive(),
    endsAt: z.coerce.date().nullable().default(null),
  })
  .refine((r) => r.kind !== "percentage" || r.value <= 100, {
    path: ["value"],
    message: "a percentage is at most 100",
  });
export type SegmentDiscountRequest = z.infer<typeof SegmentDiscountRequest>;

export class SegmentNotSyncedError extends Error {}

/**
 * A discount code only customers of one segment can use (2026-10
 * `context.customerSegments`). Shopify's userErrors come back as
 * AdminUserErrors for the page to show — never swallowed.
 */
export async function createSegmentDiscount(
  deps: { db: Db; admin: AdminClient },
  shop: string,
  request: SegmentDiscountRequest,
  now = new Date(),
): Promise<{ id: string }> {
  const segment = await deps.db.shopifySegment.findUnique({ where: { shop_key: { shop, key: request.segmentKey } } });
  if (!segment) throw new SegmentNotSyncedError(`The ${request.segmentKey} segment is not in Shopify yet`);
  const value =
    request.kind === "percentage"
      ? { percentage: request.value / 100 }
      : { discountAmount: { amount: request.value.toFixed(2), appliesOnEachItem: false } };
  const created = await discountCodeBasicCreate(deps.admin, {
    title: request.title,
    code: request.code,
    startsAt: now.toISOString(),
    endsAt: request.endsAt?.toISOString() ?? null,
    context: { customerSegments: { add: [segment.segmentId] } },
    customerGets: { value, items: { all: true } },
    appliesOncePerCustomer: true,
  });
  const node = assertNoUserErrors("discountCodeBasicCreate", created).codeDiscountNode;
  if (!node) throw new Error("discountCodeBasicCreate returned no discount");
  return node;
}
