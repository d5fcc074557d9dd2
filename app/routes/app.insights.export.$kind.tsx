import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { insightsCsvExport } from "../pages/insights/insights-page.server";

/** One insight (first-products, coupons, cohorts) as CSV, from the stored run. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return insightsCsvExport(db(), session.shop, request, params.kind);
};
