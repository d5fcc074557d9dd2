import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import type { LocaleContext } from "./i18n/use-i18n";

/** The page's language is the admin's (the app layout's loader resolves it); pages outside /app are English. */
export function Layout({ children }: { children: ReactNode }) {
  const app = useRouteLoaderData<{ locale: LocaleContext }>("routes/app");
  return (
    <html lang={app?.locale.language ?? "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}
