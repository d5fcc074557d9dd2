import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { loadBrowsersPage } from "../pages/browsers/browsers-page.server";
import { BrowsersPage } from "../pages/browsers/BrowsersPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadBrowsersPage(db(), session.shop);
};

export default BrowsersPage;
