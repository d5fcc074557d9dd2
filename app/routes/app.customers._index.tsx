import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundBoundary } from "../components/NotFoundPage";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { loadInsightCustomersPage } from "../pages/insight-customers/insight-customers.server";
import { InsightCustomersPage } from "../pages/insight-customers/InsightCustomersPage";

/** The customers behind one insight row (`?insight=product&key=…`). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadInsightCustomersPage(db(), session.shop, request);
};

export default InsightCustomersPage;

export const ErrorBoundary = notFoundBoundary("page");
