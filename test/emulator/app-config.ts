import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";

export interface WebhookSubscription {
  topics: string[];
  uri: string;
}

export const APP_TOML = fileURLToPath(new URL("../../shopify.app.toml", import.meta.url));

/** The app's webhook subscriptions, read from shopify.app.toml as Shopify does on deploy. */
export function webhookSubscriptions(file = APP_TOML): { apiVersion: string; subscriptions: WebhookSubscription[] } {
  const toml = parse(readFileSync(file, "utf8")) as unknown as {
    webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  };
  return {
    apiVersion: toml.webhooks.api_version,
    subscriptions: toml.webhooks.subscriptions.map((s) => ({ topics: [...(s.topics ?? []), ...(s.compliance_topics ?? [])], uri: s.uri })),
  };
}
