import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { loadPersonasPage } from "../pages/personas/personas-page.server";
import { PersonasPage } from "../pages/personas/PersonasPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadPersonasPage(db(), session.shop, request);
};

export default PersonasPage;
