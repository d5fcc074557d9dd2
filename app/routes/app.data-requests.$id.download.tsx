import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { dataRequestDownload } from "../pages/data-requests/data-requests-page.server";

/** One customers/data_request's export as a JSON attachment (the page fetches it with the session token). */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = params.id ?? "";
  if (!id || id.length > 200) throw new Response("No such data request", { status: 404 });
  return dataRequestDownload(db(), session.shop, id);
};
