import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { notFoundBoundary } from "../components/NotFoundPage";

/** Any /app/… address no page has: a 404 inside the app, in the merchant's language, with the way back. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  throw new Response(null, { status: 404 });
};

export const ErrorBoundary = notFoundBoundary("page");

export default function UnknownPage() {
  return null;
}
