import type { Db } from "../db.server";
import type { Logger } from "../logger.server";
import type { AdminClient } from "../admin/admin-client.server";
import { writeBackTags, type TagWriteBackOutcome } from "./tag-write-back.server";
import { writeBackMetafields, type MetafieldWriteBackOutcome } from "./metafield-write-back.server";
import { syncShopifySegments, type SegmentSyncOutcome } from "./shopify-segments.server";

export interface WriteBackOutcome {
  tags: TagWriteBackOutcome;
  metafields: MetafieldWriteBackOutcome;
  segments: SegmentSyncOutcome;
}

/**
 * Everything the app writes to Shopify after scoring, in dependency order:
 * tags (segments filter on them), metafields, then the Shopify segments.
 */
export async function runWriteBack(
  deps: { db: Db; admin: AdminClient; logger: Logger; sleepReal?: (ms: number) => Promise<void> },
  shop: string,
  options: { pollMs?: number } = {},
): Promise<WriteBackOutcome> {
  const tags = await writeBackTags(deps, shop, options);
  const metafields = await writeBackMetafields(deps, shop, options);
  const segments = await syncShopifySegments(deps, shop);
  deps.logger.info(
    {
      shop,
      tags: { mode: tags.mode, customers: tags.customersChanged, requests: tags.requests, points: tags.pointsSpent, refused: tags.failures.length },
      metafields: { mode: metafields.mode, customers: metafields.customersChanged, requests: metafields.requests, points: metafields.pointsSpent, refused: metafields.failures.length },
      segments,
    },
    "write-back done",
  );
  return { tags, metafields, segments };
}
