import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { settingsAction, settingsPageData } from "../pages/settings/settings-page.server";
import { SettingsPage } from "../pages/settings/SettingsPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return settingsPageData(db(), session.shop, request);
};

/** A refused save keeps what the merchant typed: reload the stored settings only after a save that took. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && typeof actionResult === "object" && "saved" in actionResult && !actionResult.saved
    ? false
    : defaultShouldRevalidate;

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return settingsAction(db(), session.shop, request);
};

export default SettingsPage;
