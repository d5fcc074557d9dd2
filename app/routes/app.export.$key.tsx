import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { GroupKey, segmentCsv } from "../pages/segment/segment-page.server";

/** A segment's customers as CSV, streamed (the page fetches it with the session token and saves it). */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const key = GroupKey.safeParse(params.key);
  if (!key.success) throw new Response("No such segment", { status: 404 });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(segmentCsv(db(), session.shop, key.data), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rfm-${key.data}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
