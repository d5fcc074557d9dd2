import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { adminClientForSession } from "../shopify/admin-clients.server";
import { loadShopifyPage, shopifyAction } from "../pages/shopify/shopify-page.server";
import { ShopifyPage } from "../pages/shopify/ShopifyPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadShopifyPage(db(), session.shop, request);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const adminClient = () => adminClientForSession(session, logger);
  return shopifyAction({ db: db(), adminClient }, session.shop, request);
};

export default ShopifyPage;
