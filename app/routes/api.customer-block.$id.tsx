import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { customerBlock, shopifyPredictions } from "../pages/customer/customer-block.server";
import { adminClientForSession } from "../shopify/admin-clients.server";
import { logger } from "../platform/logger.server";

const Params = z.object({ id: z.string().regex(/^[1-9]\d{0,18}$/) });
const Locale = z.string().regex(/^[a-z]{2}(-[A-Za-z]{2,4})?$/);

// The admin block runs on Shopify's extension origin: every answer, errors included, must carry CORS headers or the block cannot read it.
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Authorization, Content-Type" };

/**
 * GET /api/customer-block/<numeric customer id>?locale=<admin locale>, called by
 * the customer-details admin block with Shopify's ID token as Bearer token.
 * The shop comes from the verified token only.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  // Without a token Shopify's library treats the request as a page load and redirects; an API answers 401.
  if (request.method !== "OPTIONS" && !/^Bearer\s+\S+/i.test(request.headers.get("Authorization") ?? "")) {
    return Response.json({ error: "missing session token" }, { status: 401, headers: CORS });
  }
  // Verifies the token (401 when invalid, expired or for another app) and answers the CORS preflight.
  const { session, cors } = await authenticate.admin(request);
  const id = Params.safeParse(params);
  if (!id.success) return cors(Response.json({ error: "no such customer" }, { status: 404 }));
  const fromUrl = Locale.safeParse(new URL(request.url).searchParams.get("locale"));
  const payload = await customerBlock(db(), session.shop, BigInt(id.data.id), fromUrl.success ? fromUrl.data : null);
  if (!payload) return cors(Response.json({ error: "no such customer" }, { status: 404 }));
  payload.predicted = await shopifyPredictions(
    { admin: adminClientForSession(session, logger), logger },
    BigInt(id.data.id),
    payload.language,
  );
  return cors(Response.json(payload, { headers: { "Cache-Control": "private, no-store" } }));
};
