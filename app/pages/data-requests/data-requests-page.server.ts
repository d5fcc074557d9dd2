import type { Db } from "../../platform/db.server";
import { customerAdminUrl } from "../../shopify/admin-urls";
import { exportForDataRequest, listDataRequests } from "../../pipeline/ingest/data-request.server";

/** The data requests page: every customers/data_request received, with what the app still holds. */
export async function loadDataRequestsPage(db: Db, shop: string) {
  const requests = await listDataRequests(db, shop);
  return {
    requests: requests.map((r) => ({ ...r, adminUrl: r.customerId ? customerAdminUrl(shop, r.customerId) : null })),
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
