import type { Db } from "../../platform/db.server";
import { customerAdminUrl } from "../../shopify/admin-urls";
import { exportForDataRequest, listDataRequests } from "../../pipeline/ingest/data-request.server";
import { customerName } from "../../domain/customer-name";
import { customerDataNotice } from "../../shopify/customer-data-access.server";

/** The data requests page: every customers/data_request received, who asked, and what the app still holds. */
export async function loadDataRequestsPage(db: Db, shop: string) {
  const [requests, customerData] = await Promise.all([listDataRequests(db, shop), customerDataNotice(db, shop)]);
  const ids = [...new Set(requests.flatMap((r) => (r.customerId ? [BigInt(r.customerId)] : [])))];
  const profiles = await db.customer.findMany({
    where: { shop, id: { in: ids } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  const byId = new Map(profiles.map((c) => [String(c.id), c]));
  return {
    customerData,
    requests: requests.map((r) => {
      const c = r.customerId ? byId.get(r.customerId) : undefined;
      return {
        ...r,
        name: customerName(c?.firstName, c?.lastName),
        email: c?.email ?? null,
        adminUrl: r.customerId ? customerAdminUrl(shop, r.customerId) : null,
      };
    }),
  };
}

/** One request's export as a JSON download (404 when the request is not this shop's). */
export async function dataRequestDownload(db: Db, shop: string, webhookId: string): Promise<Response> {
  const data = await exportForDataRequest(db, shop, webhookId);
  if (!data) return new Response("No such data request", { status: 404 });
  const safeId = webhookId.replace(/[^A-Za-z0-9_-]/g, "_");
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-${data.customerId}-data-request-${safeId}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
