import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { createPixelLimits, receivePixelEvent, type PixelLimits } from "../pixel/pixel-events.server";
import { requestPixelVerification } from "../pipeline/jobs.server";

// Public (no Shopify auth): the web pixel posts here from storefronts. See app/pixel/pixel-events.server.ts.

declare global {
  var __rfmPixelLimits: PixelLimits | undefined;
}

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** The TCP peer's address (Express req.ip), set in app/platform/server/http.server.ts. */
    clientIp?: string;
  }
}

function limits(): PixelLimits {
  // One set per process, kept across Vite dev reloads.
  globalThis.__rfmPixelLimits ??= createPixelLimits();
  return globalThis.__rfmPixelLimits;
}

export const action = ({ request, context }: ActionFunctionArgs) =>
  receivePixelEvent(request, {
    db: db(),
    logger,
    limits: limits(),
    clientIp: context.clientIp ?? "",
    verifyLater: requestPixelVerification,
  });

// GET/HEAD land here: answered 405 like any other method but POST/OPTIONS.
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  receivePixelEvent(request, { db: db(), logger, limits: limits(), clientIp: context.clientIp ?? "" });
