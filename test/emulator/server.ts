import { createReadStream, existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  defaultFieldResolver,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
} from "graphql";
import { adminSchema, validateAdminDocument } from "./admin-schema";
import { operationCost, SINGLE_QUERY_MAX_COST } from "./cost";
import { toShopifyError, type ShopifyGraphQLError } from "./shopify-errors";
import { EmulatedShop, type ShopSetup } from "./shop-state";
import { mutationRoot, queryRoot } from "./resolvers";
import { mintSessionToken, verifySessionToken } from "./session-token";
import { APP_BRIDGE_SHIM, adminPageHtml } from "./app-bridge-shim";
import { bulkResultFile, type BulkOperationRecord } from "./bulk";
import { webhookSubscriptions, type WebhookSubscription } from "./app-config";
import { customerPayload } from "./shapes";
import { protectWebhookPayload } from "./protected-data";
import { MAX_UPLOAD_BYTES, receiveStagedUpload } from "./bulk-mutation";
import { createDeliveryEngine, type DeliveryEngine, type DeliveryEngineOptions } from "./deliveries";

export const EMULATED_API_VERSION = "2026-10";

export interface EmulatedApp {
  apiKey: string;
  secret: string;
  /** Where the app is served, e.g. http://127.0.0.1:3000 (used by the admin page). */
  url?: string;
  handle: string;
  name: string;
  scopes: string;
}

export interface AdminEmulator {
  url: string;
  server: Server;
  app: EmulatedApp;
  shops: Map<string, EmulatedShop>;
  addShop(setup: ShopSetup): EmulatedShop;
  shop(domain: string): EmulatedShop;
  /** The emulated admin page that frames the app for a shop. */
  adminUrl(domain: string, opts?: { locale?: string }): string;
  sessionToken(domain: string): string;
  /** Every GraphQL request answered, for assertions. */
  log: { shop: string; operationName?: string; requestedCost: number; throttled: boolean }[];
  /** Every delivery attempt to the app, with the app's answer (status 0: no answer), in the order they ended. */
  readonly deliveries: {
    shop: string;
    topic: string;
    webhookId: string;
    eventId: string;
    attempt: number;
    status: number;
  }[];
  /** The delivery engine: every delivery with its attempts, retries, give-ups and filtered events; its clock. */
  webhooks: DeliveryEngine;
  /**
   * Triggers a webhook event the way Shopify does: one delivery to each uri the
   * app's shopify.app.toml subscribes the topic to, signed with the app's secret,
   * retried on failure. Resolves with the first delivery's first attempt.
   * Status 0: Shopify sends the app no such webhook (a customer or order topic without protected customer data access).
   */
  deliver(
    shop: string,
    topic: string,
    payload: unknown,
    opts?: { webhookId?: string; eventId?: string },
  ): Promise<{ status: number; webhookId: string; eventId: string }>;
  close(): Promise<void>;
}

export interface AdminEmulatorOptions {
  app: EmulatedApp;
  shops?: ShopSetup[];
  port?: number;
  /** Delivery engine settings: a test clock, concurrency, shuffling, other subscriptions than shopify.app.toml's. */
  webhooks?: Partial<Omit<DeliveryEngineOptions, "appUrl" | "secret" | "subscriptions">> & {
    subscriptions?: WebhookSubscription[];
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type":
      typeof body === "string" && !headers["Content-Type"]
        ? "text/plain; charset=utf-8"
        : "application/json; charset=utf-8",
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const INVALID_TOKEN = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

// Unimplemented fields fail loudly rather than returning a misleading null.
const strictResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (source && typeof source === "object" && !(info.fieldName in source) && !info.fieldName.startsWith("__")) {
    throw new GraphQLError(`The Admin API emulator does not implement ${info.parentType.name}.${info.fieldName} yet`, {
      extensions: { code: "EMULATOR_NOT_IMPLEMENTED" },
    });
  }
  return defaultFieldResolver(source, args, context, info);
};

export async function startAdminEmulator(options: AdminEmulatorOptions): Promise<AdminEmulator> {
  const shops = new Map<string, EmulatedShop>();
  const log: AdminEmulator["log"] = [];
  const subscriptions = webhookSubscriptions();
  const webhooks = createDeliveryEngine({
    apiVersion: subscriptions.apiVersion,
    ...options.webhooks,
    appUrl: options.app.url,
    secret: options.app.secret,
    subscriptions: options.webhooks?.subscriptions ?? subscriptions.subscriptions,
  });
  const schema = adminSchema();

  function shopFromHost(req: IncomingMessage): EmulatedShop | undefined {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    return shops.get(host);
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, shop: EmulatedShop): Promise<void> {
    const requestedAt = Date.now();
    if (!shop.tokenIsValid(req.headers["x-shopify-access-token"] as string | undefined))
      return send(res, 401, INVALID_TOKEN);
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch {
      return send(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    if (typeof body.query !== "string" || body.query.length === 0) {
      return send(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<
      string,
      unknown
    >;
    const operationName = typeof body.operationName === "string" ? body.operationName : undefined;

    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      const e = error as GraphQLError;
      return send(res, 200, {
        errors: [{ message: e.message.replace(/^Syntax Error: /, "syntax error, "), locations: e.locations }],
      });
    }
    const validationErrors = validateAdminDocument(document);
    if (validationErrors.length > 0) return send(res, 200, { errors: validationErrors.map(toShopifyError) });

    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = operationName
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    if (!operation) {
      return send(res, 200, {
        errors: [
          { message: operationName ? `No operation named "${operationName}"` : "An operation name is required" },
        ],
      });
    }
    const fragments = Object.fromEntries(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    const requestedQueryCost = operationCost(schema, operation, fragments, variables);
    if (requestedQueryCost > SINGLE_QUERY_MAX_COST) {
      return send(res, 200, {
        errors: [
          {
            message: `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).

See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the
cost of a query is calculated.

To query larger amounts of data with fewer limits, bulk operations should be used instead.
See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.
`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requestedQueryCost, maxCost: SINGLE_QUERY_MAX_COST },
          },
        ],
      });
    }
    if (!shop.bucket.tryTake(requestedQueryCost)) {
      log.push({ shop: shop.domain, operationName, requestedCost: requestedQueryCost, throttled: true });
      return send(res, 200, {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
      });
    }
    log.push({ shop: shop.domain, operationName, requestedCost: requestedQueryCost, throttled: false });
    const result = await execute({
      schema,
      document,
      operationName,
      variableValues: variables,
      rootValue:
        operation.operation === "mutation"
          ? mutationRoot(
              shop,
              {
                baseUrl: `${emulator.url}/bulk-results`,
                uploadUrl: `${emulator.url}/staged-uploads`,
                onFinish: (op) => bulkFinished(shop, op),
              },
              { onCustomerTagsChanged: (customerId) => tagsEcho(shop, customerId), requestedAt },
            )
          : queryRoot(shop),
      fieldResolver: strictResolver,
    });
    const actualQueryCost =
      operation.operation === "mutation"
        ? requestedQueryCost
        : operationCost(schema, operation, fragments, variables, result.data ?? {});
    shop.bucket.refund(requestedQueryCost - actualQueryCost);
    const errors: ShopifyGraphQLError[] | undefined = result.errors?.map((e) => ({
      message: e.message,
      locations: e.locations?.map(({ line, column }) => ({ line, column })),
      path: e.path ? [...e.path] : undefined,
      extensions: { code: (e.extensions?.code as string | undefined) ?? "INTERNAL_SERVER_ERROR" },
    }));
    return send(res, 200, {
      data: result.data ?? null,
      ...(errors ? { errors } : {}),
      extensions: { cost: { requestedQueryCost, actualQueryCost, throttleStatus: shop.bucket.status() } },
    });
  }

  /**
   * Every event the emulated shop raises goes through here, so protected customer data (protected-data.ts) applies to
   * each: without level 1 no customer or order webhook is sent (null), unapproved fields are null.
   */
  function triggerEvent(
    shopDomain: string,
    topic: string,
    payload: unknown,
    opts?: { webhookId?: string; eventId?: string },
  ) {
    const access = shops.get(shopDomain)?.protectedCustomerData;
    const shaped = access ? protectWebhookPayload(topic, payload, access) : payload;
    return shaped === null ? null : webhooks.trigger(shopDomain, topic, shaped, opts);
  }

  /** Like Shopify: a tag change is followed by customers/update carrying the new tags. */
  function tagsEcho(shop: EmulatedShop, customerId: number): void {
    const customer = shop.customer(customerId);
    if (!options.app.url || !customer || !shop.echoTagWebhooks) return;
    triggerEvent(
      shop.domain,
      "customers/update",
      customerPayload(customer, shop.customerUpdated(customer), shop.customerTagList(customer)),
    );
  }

  function bulkFinished(shop: EmulatedShop, op: BulkOperationRecord): void {
    if (!options.app.url) return;
    triggerEvent(shop.domain, "bulk_operations/finish", {
      admin_graphql_api_id: op.id,
      completed_at: op.completedAt,
      created_at: op.createdAt,
      error_code: op.errorCode?.toLowerCase() ?? null,
      status: op.status.toLowerCase(),
      type: op.type.toLowerCase(),
    });
  }

  async function accessToken(req: IncomingMessage, res: ServerResponse, shop: EmulatedShop): Promise<void> {
    let body: Record<string, string>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, string>;
    } catch {
      return send(res, 400, { error: "invalid_request", error_description: "Body must be JSON" });
    }
    if (body.client_id !== options.app.apiKey || body.client_secret !== options.app.secret) {
      return send(res, 401, { error: "invalid_client", error_description: "Client credentials are invalid" });
    }
    if (body.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
      const claims = verifySessionToken(options.app.secret, body.subject_token ?? "", options.app.apiKey);
      if (!claims || claims.dest !== `https://${shop.domain}`) {
        return send(res, 400, { error: "invalid_subject_token", error_description: "Session token is invalid" });
      }
      if (body.requested_token_type === "urn:shopify:params:oauth:token-type:online-access-token") {
        const token = shop.issueToken(options.app.scopes, false);
        return send(res, 200, {
          ...token,
          expires_in: 86_399,
          associated_user_scope: options.app.scopes,
          associated_user: {
            id: Number(claims.sub),
            first_name: "Demo",
            last_name: "Merchant",
            email: shop.email,
            account_owner: true,
            locale: "en",
            collaborator: false,
            email_verified: true,
          },
        });
      }
      shop.grantedScopes ??= options.app.scopes.split(",");
      return send(res, 200, shop.issueToken(shop.grantedScopes.join(","), body.expiring === "1"));
    }
    if (body.grant_type === "refresh_token") {
      const token = shop.refresh(body.refresh_token ?? "");
      if (!token)
        return send(res, 400, { error: "invalid_grant", error_description: "Refresh token is invalid or expired" });
      return send(res, 200, token);
    }
    return send(res, 400, { error: "unsupported_grant_type" });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const handle = async () => {
      if (req.method === "OPTIONS") {
        return send(res, 204, "", {
          "Access-Control-Allow-Origin": "*",
          "Access-Control-Allow-Headers": "Content-Type",
          "Access-Control-Allow-Methods": "POST, GET",
        });
      }
      const shop = shopFromHost(req);
      if (shop) {
        const gql = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
        if (gql && req.method === "POST") {
          if (gql[1] !== EMULATED_API_VERSION)
            return send(res, 404, {
              errors: `The emulator serves API version ${EMULATED_API_VERSION} only, not ${gql[1]}`,
            });
          return graphql(req, res, shop);
        }
        if (url.pathname === "/admin/oauth/access_token" && req.method === "POST") return accessToken(req, res, shop);
        return send(res, 404, { errors: "Not Found" });
      }
      if (url.pathname === "/staged-uploads" && req.method === "POST") {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of req) {
          size += (chunk as Buffer).length;
          if (size > MAX_UPLOAD_BYTES + 65_536)
            return send(res, 400, "<Error><Code>EntityTooLarge</Code></Error>", {
              "Content-Type": "application/xml",
              Connection: "close",
            });
          chunks.push(chunk as Buffer);
        }
        const answer = await receiveStagedUpload(Buffer.concat(chunks), req.headers["content-type"] ?? "");
        return send(res, answer.status, answer.body, { "Content-Type": "application/xml" });
      }
      const result = /^\/bulk-results\/([^/]+)$/.exec(url.pathname);
      if (result && req.method === "GET") {
        const file = bulkResultFile(result[1] ?? "");
        if (!file || !existsSync(file)) return send(res, 404, "No such result file");
        res.writeHead(200, { "Content-Type": "application/jsonl" });
        createReadStream(file).pipe(res);
        return;
      }
      if (url.pathname === "/app-bridge.js") {
        return send(res, 200, APP_BRIDGE_SHIM, {
          "Content-Type": "text/javascript; charset=utf-8",
          "Cache-Control": "no-store",
        });
      }
      if (url.pathname === "/emulator/session-token" && req.method === "POST") {
        const { shop: domain, apiKey } = JSON.parse(await readBody(req)) as { shop?: string; apiKey?: string };
        if (!domain || !shops.has(domain) || apiKey !== options.app.apiKey)
          return send(res, 400, { error: "unknown shop or app" }, { "Access-Control-Allow-Origin": "*" });
        return send(res, 200, { token: emulator.sessionToken(domain) }, { "Access-Control-Allow-Origin": "*" });
      }
      // Like the admin: /store/<shop>/apps/<app>/<path> opens the app's /app/<path> in the frame.
      const admin = /^\/store\/([a-z0-9-]+)\/apps\/([a-z0-9-]+)((?:\/[A-Za-z0-9_-]+)*)\/?$/.exec(url.pathname);
      if (admin && req.method === "GET") {
        const target = [...shops.values()].find((s) => s.handle === admin[1]);
        if (!target || admin[2] !== options.app.handle || !options.app.url)
          return send(res, 404, "No such shop or app in the emulated admin");
        const locale = url.searchParams.get("locale") ?? "en";
        const host = Buffer.from(`admin.shopify.com/store/${target.handle}`).toString("base64url");
        const params = new URLSearchParams({
          embedded: "1",
          host,
          id_token: emulator.sessionToken(target.domain),
          locale,
          shop: target.domain,
          timestamp: String(Math.floor(Date.now() / 1000)),
        });
        return send(
          res,
          200,
          adminPageHtml({
            shopName: target.name,
            shop: target.domain,
            appName: options.app.name,
            iframeSrc: `${options.app.url}/app${admin[3] ?? ""}?${params}`,
          }),
          { "Content-Type": "text/html; charset=utf-8" },
        );
      }
      if (url.pathname === "/emulator/health") return send(res, 200, { ok: true, shops: [...shops.keys()] });
      return send(res, 404, "Not found");
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: `emulator failure: ${(error as Error).message}` });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  const emulator: AdminEmulator = {
    url: `http://127.0.0.1:${port}`,
    server,
    app: options.app,
    shops,
    log,
    get deliveries() {
      return webhooks.records
        .flatMap((r) =>
          r.attempts.map((a) => ({
            shop: r.shop,
            topic: r.topic,
            webhookId: r.webhookId,
            eventId: r.eventId,
            attempt: a.attempt,
            status: a.status,
            ended: Date.parse(a.at) + a.ms,
          })),
        )
        .sort((a, b) => a.ended - b.ended)
        .map(({ ended: _ended, ...d }) => d);
    },
    webhooks,
    async deliver(shopDomain, topic, payload, opts = {}) {
      if (!options.app.url) throw new Error("the emulated app has no url to deliver webhooks to");
      const triggered = triggerEvent(shopDomain, topic, payload, opts);
      if (triggered === null) return { status: 0, webhookId: "", eventId: "" };
      const [first] = triggered;
      if (!first) throw new Error(`every subscription to ${topic} filtered this event out`);
      const attempt = await first.firstAttempt;
      return { status: attempt.status, webhookId: first.webhookId, eventId: first.eventId };
    },
    addShop(setup) {
      const shop = new EmulatedShop(setup);
      shops.set(shop.domain, shop);
      return shop;
    },
    shop(domain) {
      const shop = shops.get(domain);
      if (!shop) throw new Error(`The emulator has no shop ${domain}`);
      return shop;
    },
    adminUrl(domain, opts = {}) {
      const shop = emulator.shop(domain);
      return `${emulator.url}/store/${shop.handle}/apps/${options.app.handle}${opts.locale ? `?locale=${opts.locale}` : ""}`;
    },
    sessionToken(domain) {
      return mintSessionToken(options.app.secret, { shop: domain, apiKey: options.app.apiKey });
    },
    close: () =>
      new Promise<void>((resolve) => {
        webhooks.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  for (const setup of options.shops ?? []) emulator.addShop(setup);
  return emulator;
}
