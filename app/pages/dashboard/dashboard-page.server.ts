import { z } from "zod";
import type { Db } from "../../platform/db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { getShopOverview } from "../../shopify/shop.server";
import { resolveLocale } from "../../i18n/locale.server";
import { requestScoring, requestSync, requestWriteBack } from "../../pipeline/jobs.server";
import { loadDashboard } from "./dashboard.server";
import { deadLetterSummary } from "../../pipeline/ingest/inbox/dead-letters.server";
import { predictedRevenue } from "./predicted-revenue.server";

/** The home page: the shop's facts from Shopify, and the pipeline's status and figures. */
export async function dashboardPageData(deps: { db: Db; admin: AdminClient }, shop: string, request: Request) {
  const { locale } = await resolveLocale(deps.db, shop, request);
  const [overview, dashboard, inboxDeadLetters, predicted] = await Promise.all([
    getShopOverview(deps),
    loadDashboard(deps.db, shop, locale),
    deadLetterSummary(deps.db, shop),
    predictedRevenue(deps.db, shop, locale),
  ]);
  return {
    ...overview,
    infoSyncedAt: overview.infoSyncedAt?.toISOString() ?? null,
    dashboard,
    inboxDeadLetters,
    predicted,
    now: Date.now(),
  };
}

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sync"), kind: z.enum(["backfill", "reconcile"]) }),
  z.object({ intent: z.literal("score") }),
  z.object({ intent: z.literal("write-back") }),
]);

/** The status card's buttons: sync now, retry scoring, retry write-back. */
export async function dashboardAction(db: Db, shop: string, request: Request) {
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return new Response("Unknown request", { status: 400 });
  const input = parsed.data;
  if (input.intent === "sync") await requestSync(shop, input.kind);
  if (input.intent === "score") {
    await db.shop.updateMany({ where: { shop }, data: { scoringError: null } });
    await requestScoring(shop);
  }
  if (input.intent === "write-back") await requestWriteBack(shop);
  return { ok: true };
}
