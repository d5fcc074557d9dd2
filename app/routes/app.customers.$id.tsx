import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundBoundary } from "../components/NotFoundPage";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { loadCustomerPage } from "../pages/customer/customer-page.server";
import { CustomerPage } from "../pages/customer/CustomerPage";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadCustomerPage(db(), session.shop, request, params.id);
};

export default CustomerPage;

export const ErrorBoundary = notFoundBoundary("customer");
