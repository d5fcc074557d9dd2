import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { insightCustomersCsv } from "../pages/insight-customers/insight-customers.server";

/** One insight row's customers as CSV, streamed (the page fetches it with the session token and saves it). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return insightCustomersCsv(db(), session.shop, request);
};
