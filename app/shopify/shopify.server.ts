import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { env } from "../platform/env.server";
import { db } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { PrismaSessionStorage } from "./session-storage.server";
import { onAppInstalled } from "../pipeline/install.server";
import { guardAuthenticateAdmin, installTokenExchangeGuard } from "./token-exchange-guard.server";

const config = env();
// After the node adapter above set the library's fetch: token exchanges get a timeout and their failures a reason.
installTokenExchangeGuard({ timeoutMs: config.SHOPIFY_TOKEN_EXCHANGE_TIMEOUT_MS });

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October26,
  scopes: config.SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db()),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  logger: {
    level: config.LOG_LEVEL === "debug" || config.LOG_LEVEL === "trace" ? LogSeverity.Debug : LogSeverity.Warning,
    log: (severity, message) => {
      const level = severity <= LogSeverity.Error ? "error" : severity === LogSeverity.Warning ? "warn" : "debug";
      logger[level]({ source: "shopify-api" }, message);
    },
  },
  hooks: {
    afterAuth: ({ session }) => onAppInstalled(db(), session.shop),
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ApiVersion.October26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = {
  ...shopify.authenticate,
  admin: guardAuthenticateAdmin(shopify.authenticate.admin, logger),
};
export const unauthenticated = shopify.unauthenticated;
export const sessionStorage = shopify.sessionStorage;
