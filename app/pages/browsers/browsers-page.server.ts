import type { Db } from "../../platform/db.server";
import { DEFAULT_BROWSER_RULE } from "../../domain/engagement";
import { customerAdminUrl } from "../../shopify/admin-urls";
import { browsersNeverBought } from "../../pixel/pixel-events.server";
import { customerName } from "../../domain/customer-name";
import { customerDataNotice } from "../../shopify/customer-data-access.server";

/** The "Browses often, never bought" page: the most frequent visitors first, with who they are. */
export async function browsersNeverBoughtPage(db: Db, shop: string, limit = 100, now = new Date()) {
  const all = await browsersNeverBought(db, shop, {}, now);
  const top = all.slice(0, limit);
  const customers = await db.customer.findMany({
    where: { shop, id: { in: top.map((b) => b.customerId) } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  const byId = new Map(customers.map((c) => [c.id, c]));
  return {
    total: all.length,
    customers: top.map((b) => {
      const c = byId.get(b.customerId);
      return {
        customerId: String(b.customerId),
        name: customerName(c?.firstName, c?.lastName),
        email: c?.email ?? null,
        visitDays: b.visitDays,
        lastVisitAt: b.lastVisitAt?.toISOString() ?? null,
      };
    }),
  };
}

/** The page's data: the rule it applies and each visitor's link into the Shopify admin. */
export async function loadBrowsersPage(db: Db, shop: string) {
  const [page, customerData] = await Promise.all([browsersNeverBoughtPage(db, shop), customerDataNotice(db, shop)]);
  return {
    ...page,
    customerData,
    rule: DEFAULT_BROWSER_RULE,
    customers: page.customers.map((c) => ({ ...c, adminUrl: customerAdminUrl(shop, c.customerId) })),
  };
}
