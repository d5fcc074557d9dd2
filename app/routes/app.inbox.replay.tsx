import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { inboxReplayAction } from "../pages/dashboard/inbox-dead-letters.server";

/** The dashboard's "Retry" on webhook events set aside (dead letters). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return inboxReplayAction(db(), session.shop, request);
};
