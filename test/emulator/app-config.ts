import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";

export interface WebhookSubscription {
  topics: string[];
  uri: string;
  /** Only these fields are sent (nested with "."), when set. */
  includeFields?: string[];
  /** Shopify search syntax evaluated against the payload; non-matching events are not sent. */
  filter?: string;
  /** Sent as X-Shopify-Name when set. */
  name?: string;
}

export const APP_TOML = fileURLToPath(new URL("../../shopify.app.toml", import.meta.url));

/** The app's webhook subscriptions, read from shopify.app.toml as Shopify does on deploy. */
export function webhookSubscriptions(file = APP_TOML): { apiVersion: string; subscriptions: WebhookSubscription[] } {
  const toml = parse(readFileSync(file, "utf8")) as unknown as {
    webhooks: {
      api_version: string;
      subscriptions: {
        topics?: string[];
        compliance_topics?: string[];
        uri: string;
        include_fields?: string[];
        filter?: string;
        name?: string;
      }[];
    };
  };
  return {
    apiVersion: toml.webhooks.api_version,
    subscriptions: toml.webhooks.subscriptions.map((s) => ({
      topics: [...(s.topics ?? []), ...(s.compliance_topics ?? [])],
      uri: s.uri,
      ...(s.include_fields ? { includeFields: s.include_fields } : {}),
      ...(s.filter ? { filter: s.filter } : {}),
      ...(s.name ? { name: s.name } : {}),
    })),
  };
}

export interface FlowTriggerField {
  type: string;
  key?: string;
}

export const EXTENSIONS_DIR = fileURLToPath(new URL("../../extensions/", import.meta.url));

/** The app's Flow trigger extensions by handle, read from extensions/*\/shopify.extension.toml as `shopify app deploy` does. */
export function flowTriggerDefinitions(dir = EXTENSIONS_DIR): Map<string, FlowTriggerField[]> {
  const triggers = new Map<string, FlowTriggerField[]>();
  if (!existsSync(dir)) return triggers;
  for (const name of readdirSync(dir)) {
    const file = `${dir}${name}/shopify.extension.toml`;
    if (!existsSync(file)) continue;
    const toml = parse(readFileSync(file, "utf8")) as unknown as {
      extensions?: { type: string; handle: string }[];
      settings?: { fields?: FlowTriggerField[] };
    };
    for (const ext of toml.extensions ?? [])
      if (ext.type === "flow_trigger") triggers.set(ext.handle, toml.settings?.fields ?? []);
  }
  return triggers;
}
