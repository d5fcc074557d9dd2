import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { loadDataRequestsPage } from "../pages/data-requests/data-requests-page.server";
import { DataRequestsPage } from "../pages/data-requests/DataRequestsPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadDataRequestsPage(db(), session.shop);
};

export default DataRequestsPage;
