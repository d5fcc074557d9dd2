import type { Db } from "../../platform/db.server";
import { languageOf } from "../../i18n/locale";
import type { CustomerBlockPayload } from "../../../extensions/rfm-customer-block/src/payload";
import { customerView } from "./customer-view.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { customerStatistics } from "../../shopify/customers.server";
import type { Logger } from "../../platform/logger.server";
import { customerName } from "../../domain/customer-name";

const WORDS: Record<"en" | "nl", Record<string, string>> = {
  en: {
    HIGH: "High",
    MEDIUM: "Medium",
    LOW: "Low",
    ACTIVE: "Active",
    ALMOST_LOST: "Almost lost",
    AT_RISK: "At risk",
    CHAMPIONS: "Champions",
    DORMANT: "Dormant",
    LOYAL: "Loyal",
    NEEDS_ATTENTION: "Needs attention",
    NEW: "New",
    PREVIOUSLY_LOYAL: "Previously loyal",
    PROMISING: "Promising",
    PROSPECTS: "Prospects",
  },
  nl: {
    HIGH: "Hoog",
    MEDIUM: "Gemiddeld",
    LOW: "Laag",
    ACTIVE: "Actief",
    ALMOST_LOST: "Bijna verloren",
    AT_RISK: "Risico",
    CHAMPIONS: "Topklanten",
    DORMANT: "Slapend",
    LOYAL: "Loyaal",
    NEEDS_ATTENTION: "Aandacht nodig",
    NEW: "Nieuw",
    PREVIOUSLY_LOYAL: "Voorheen loyaal",
    PROMISING: "Veelbelovend",
    PROSPECTS: "Prospects",
  },
};

/**
 * Shopify's own predictions for the customer (CustomerStatistics), worded in
 * the admin's language — shown next to the app's scores when Shopify has
 * them. A failed call costs the block nothing but this line.
 */
export async function shopifyPredictions(
  deps: { admin: AdminClient; logger: Logger },
  customerId: bigint,
  language: "en" | "nl",
): Promise<CustomerBlockPayload["predicted"]> {
  try {
    const stats = await customerStatistics(deps.admin, customerId);
    const out: CustomerBlockPayload["predicted"] = [];
    if (stats?.predictedSpendTier)
      out.push({
        key: "predictedSpendTier",
        value: WORDS[language][stats.predictedSpendTier] ?? stats.predictedSpendTier,
      });
    if (stats?.rfmGroup) out.push({ key: "rfmGroup", value: WORDS[language][stats.rfmGroup] ?? stats.rfmGroup });
    return out;
  } catch (error) {
    deps.logger.warn({ err: error, customerId: String(customerId) }, "Shopify's customer statistics unavailable");
    return [];
  }
}

/**
 * What the admin block on Shopify's customer page shows, for one customer of
 * one shop: null when the shop has no such customer (another shop's customer
 * included), a payload without a score when the customer is known but not
 * scored. Built from the customer view, so both say the same thing.
 */
export async function customerBlock(
  db: Db,
  shop: string,
  customerId: bigint,
  requestedLocale: string | null,
): Promise<CustomerBlockPayload | null> {
  // The block sends the admin's locale; without it, the one the app last saw for this shop.
  const locale =
    requestedLocale ??
    (await db.shop.findUnique({ where: { shop }, select: { adminLocale: true } }))?.adminLocale ??
    null;
  const view = await customerView(db, shop, customerId, locale);
  const language = languageOf(locale);
  const appPath = `/app/customers/${customerId}`;
  if (!view) {
    const customer = await db.customer.findUnique({
      where: { shop_id: { shop, id: customerId } },
      select: { firstName: true, lastName: true, email: true, deletedAt: true },
    });
    if (!customer || customer.deletedAt) return null;
    return {
      language,
      customerId: String(customerId),
      name: customerName(customer.firstName, customer.lastName),
      email: customer.email,
      asOf: null,
      score: null,
      lastChange: null,
      predicted: [],
      forecast: null,
      appPath,
    };
  }
  const score = view.score;
  const rfmStays = view.history.filter((h) => h.kind === "rfm");
  const current = score ? rfmStays.at(-1) : undefined;
  const previous = current ? rfmStays.at(-2) : undefined;
  return {
    language,
    customerId: String(customerId),
    name: view.name,
    email: view.email,
    asOf: view.asOf,
    score: score && {
      code: score.code,
      segment: { key: score.segment.key, name: score.segment.name, since: score.segment.since },
      dimensions: (["r", "f", "m"] as const).map((dimension, i) => ({
        dimension,
        score: score[dimension],
        explanation: score.explanations[i] ?? "",
      })),
      behaviours: score.behaviours.map((b) => ({ key: b.key, name: b.name })),
    },
    lastChange: current ? { from: previous?.name ?? null, to: current.name, on: current.from } : null,
    // Shopify's own predictions: the route adds them (shopifyPredictions).
    predicted: [],
    forecast:
      view.prediction === null
        ? null
        : view.prediction.kind === "shown"
          ? { facts: view.prediction.facts }
          : { unavailable: view.prediction.sentence },
    appPath,
  };
}
