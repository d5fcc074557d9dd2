import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { adminClientForSession } from "../shopify/admin-clients.server";
import { dashboardAction, dashboardPageData } from "../pages/dashboard/dashboard-page.server";
import { DashboardPage } from "../pages/dashboard/DashboardPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return dashboardPageData({ db: db(), admin: adminClientForSession(session, logger) }, session.shop, request);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return dashboardAction(db(), session.shop, request);
};

export default DashboardPage;
