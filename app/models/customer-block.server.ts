import type { Db } from "../db.server";
import { languageOf } from "../i18n/locale";
import type { CustomerBlockPayload } from "../../extensions/rfm-customer-block/src/payload";
import { customerView } from "./customer-view.server";

/**
 * What the admin block on Shopify's customer page shows, for one customer of
 * one shop: null when the shop has no such customer (another shop's customer
 * included), a payload without a score when the customer is known but not
 * scored. Built from the customer view, so both say the same thing.
 */
export async function customerBlock(db: Db, shop: string, customerId: bigint, requestedLocale: string | null): Promise<CustomerBlockPayload | null> {
  // The block sends the admin's locale; without it, the one the app last saw for this shop.
  const locale = requestedLocale ?? (await db.shop.findUnique({ where: { shop }, select: { adminLocale: true } }))?.adminLocale ?? null;
  const view = await customerView(db, shop, customerId, locale);
  const language = languageOf(locale);
  const appPath = `/app/customers/${customerId}`;
  if (!view) {
    const customer = await db.customer.findUnique({ where: { shop_id: { shop, id: customerId } }, select: { firstName: true, lastName: true, deletedAt: true } });
    if (!customer || customer.deletedAt) return null;
    const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null;
    return { language, customerId: String(customerId), name, asOf: null, score: null, lastChange: null, predicted: [], appPath };
  }
  const score = view.score;
  const rfmStays = view.history.filter((h) => h.kind === "rfm");
  const current = score ? rfmStays.at(-1) : undefined;
  const previous = current ? rfmStays.at(-2) : undefined;
  return {
    language,
    customerId: String(customerId),
    name: view.name,
    asOf: view.asOf,
    score: score && {
      code: score.code,
      segment: score.segment,
      dimensions: (["r", "f", "m"] as const).map((dimension, i) => ({ dimension, score: score[dimension], explanation: score.explanations[i] ?? "" })),
      behaviours: score.behaviours,
    },
    lastChange: current ? { from: previous?.name ?? null, to: current.name, on: current.from } : null,
    // The app stores no predictions of its own; Shopify's would be passed through here.
    predicted: [],
    appPath,
  };
}
