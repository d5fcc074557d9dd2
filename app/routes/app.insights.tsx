import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { loadInsightsPage } from "../pages/insights/insights-page.server";
import { InsightsPage } from "../pages/insights/InsightsPage";

/** Where the best customers come from: the stored insights of the latest full run. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadInsightsPage(db(), session.shop, request);
};

export default InsightsPage;
