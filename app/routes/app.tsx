import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisNl from "@shopify/polaris/locales/nl.json";
import { authenticate } from "../shopify/shopify.server";
import { adminEmulator, env } from "../platform/env.server";
import { db } from "../platform/db.server";
import { resolveLocale } from "../i18n/locale.server";
import { MESSAGES } from "../i18n/messages";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: polarisVizStyles },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { context } = await resolveLocale(db(), session.shop, request);
  return { apiKey: env().SHOPIFY_API_KEY, appBridgeUrl: adminEmulator()?.appBridgeUrl ?? null, locale: context };
};

export default function App() {
  const { apiKey, appBridgeUrl, locale } = useLoaderData<typeof loader>();
  const t = MESSAGES[locale.language];
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={locale.language === "nl" ? polarisNl : polarisEn}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      <NavMenu>
        <Link to="/app" rel="home">
          {t.nav.home}
        </Link>
        <Link to="/app/browsers">{t.nav.browsers}</Link>
        <Link to="/app/personas">{t.nav.personas}</Link>
        <Link to="/app/forecast">{t.nav.forecast}</Link>
        <Link to="/app/insights">{t.insights.nav}</Link>
        <Link to="/app/shopify">{t.nav.shopify}</Link>
        <Link to="/app/settings">{t.nav.settings}</Link>
        <Link to="/app/data-requests">{t.nav.dataRequests}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so its headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
