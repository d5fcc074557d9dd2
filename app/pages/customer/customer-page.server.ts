import { z } from "zod";
import type { Db } from "../../platform/db.server";
import { customerAdminUrl, orderAdminUrl } from "../../shopify/admin-urls";
import { customerDataNotice } from "../../shopify/customer-data-access.server";
import { customerOrders } from "./customer-orders.server";
import { resolveLocale } from "../../i18n/locale.server";
import { customerView } from "./customer-view.server";

const CustomerId = z.string().regex(/^[1-9]\d{0,18}$/);

const noSuchCustomer = () => new Response("No such customer", { status: 404 });

/** The customer page: the view of one customer of this shop (404 for anyone else's), their orders, what Shopify withholds. */
export async function loadCustomerPage(db: Db, shop: string, request: Request, customerId: string | undefined) {
  const parsed = CustomerId.safeParse(customerId);
  if (!parsed.success) throw noSuchCustomer();
  const { locale } = await resolveLocale(db, shop, request);
  const id = BigInt(parsed.data);
  const [view, orders, customerData] = await Promise.all([
    customerView(db, shop, id, locale),
    customerOrders(db, shop, id),
    customerDataNotice(db, shop),
  ]);
  if (!view) throw noSuchCustomer();
  return {
    ...view,
    id: parsed.data,
    adminUrl: customerAdminUrl(shop, parsed.data),
    orders: { total: orders.total, list: orders.orders.map((o) => ({ ...o, adminUrl: orderAdminUrl(shop, o.id) })) },
    customerData,
  };
}
