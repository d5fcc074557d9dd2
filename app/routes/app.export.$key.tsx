import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { segmentCsvExport } from "../pages/segment/segment-view.server";

/** A segment's customers as CSV, streamed (the page fetches it with the session token and saves it). */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return segmentCsvExport(db(), session.shop, request, params.key);
};
