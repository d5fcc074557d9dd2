import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { loadForecastPage } from "../pages/forecast/forecast-page.server";
import { ForecastPage } from "../pages/forecast/ForecastPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadForecastPage(db(), session.shop, request);
};

export default ForecastPage;
