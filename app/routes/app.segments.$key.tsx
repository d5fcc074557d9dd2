import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { notFoundBoundary } from "../components/NotFoundPage";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { adminClientForSession } from "../shopify/admin-clients.server";
import { loadSegmentPage, segmentAction } from "../pages/segment/segment-view.server";
import { SegmentPage } from "../pages/segment/SegmentPage";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadSegmentPage(db(), session.shop, request, params.key);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const adminClient = () => adminClientForSession(session, logger);
  return segmentAction({ db: db(), adminClient }, session.shop, request, params.key);
};

export default SegmentPage;

export const ErrorBoundary = notFoundBoundary("segment");
