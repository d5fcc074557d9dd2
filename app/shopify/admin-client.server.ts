import { ClientError, GraphQLClient } from "graphql-request";
import type { Logger } from "../platform/logger.server";
import { recordThrottleWait } from "../platform/ops-counters.server";
import {
  AdminApiError,
  isProtectedDataError,
  protectedFieldOf,
  type ProtectedCustomerField,
} from "./admin-errors.server";
// The generated document types (npm run graphql:codegen) augment AdminQueries and AdminMutations below.
import type {} from "../generated/graphql/admin.generated";

export const ADMIN_API_VERSION = "2026-10";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

/**
 * Every #graphql-tagged document of app/shopify/operations/, keyed by its text,
 * with its result and variables types: filled in by the generated
 * app/generated/graphql/admin.generated.ts (the same mechanism as
 * @shopify/admin-api-client's AdminQueries/AdminMutations).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AdminQueries {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AdminMutations {}
export type AdminOperations = AdminQueries & AdminMutations;
export type AdminDocument = keyof AdminOperations & string;
export type ResultOf<D extends AdminDocument> = AdminOperations[D] extends { return: infer R } ? R : never;
export type VariablesOf<D extends AdminDocument> = AdminOperations[D] extends { variables: infer V } ? V : never;

/** Variables are optional only for documents that declare none. */
export type VariablesArgs<D extends AdminDocument> =
  Record<string, never> extends VariablesOf<D> ? [variables?: VariablesOf<D>] : [variables: VariablesOf<D>];

export interface AdminClient {
  readonly shop: string;
  /** The cost Shopify reported for the last request, for pacing. */
  readonly lastCost: QueryCost | undefined;
  /** A generated document: result and variables typed from its text. */
  request<D extends AdminDocument>(document: D, ...variables: VariablesArgs<D>): Promise<ResultOf<D>>;
  /**
   * A document rendered from a template (aliased batches), which codegen
   * cannot type: only app/shopify/ sends these, and test/graphql validates
   * their rendered text against the schema.
   */
  requestRendered<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
  /**
   * Protected customer fields Shopify redacted (answered null with an error) in this client's answers so far: such an
   * answer is returned with those fields null instead of failing, as Shopify documents apps should handle it.
   */
  readonly redactedFields: ReadonlySet<ProtectedCustomerField>;
}

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  logger: Logger;
  /** How many THROTTLED answers to wait out before giving up. */
  maxThrottleRetries?: number;
  /** How many network errors (connection reset, refused, cut off) a query is retried after, with backoff. */
  maxNetworkRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** First network-retry wait; doubled each further attempt (plus jitter). */
const NETWORK_BACKOFF_MS = 250;
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/**
 * undici's failures before an answer arrived: `fetch failed` (connect, reset on a kept-alive socket) or `terminated`
 * (cut off while the body was read), with the socket error as cause. Never a ClientError: Shopify did not answer.
 */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  if (error.message === "fetch failed" || error.message === "terminated") return true;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && NETWORK_CODES.has(code);
}

/** A query (or the `{ … }` shorthand) reads only, so sending it again is harmless; mutations are never resent. */
export function isReadOnlyDocument(document: string): boolean {
  return /^(?:\s|#[^\n]*\n)*(?:query\b|\{)/.test(document);
}

/**
 * The Admin GraphQL client used by services and jobs. Paces itself on
 * `extensions.cost.throttleStatus` and waits out THROTTLED answers for exactly
 * the time the bucket needs to refill. Queries (bulk-operation status polls
 * included) are resent after a network error, a bounded number of times with
 * exponential backoff; mutations are not (Shopify may have applied them).
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const { shop, accessToken, logger } = options;
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxThrottleRetries ?? 30;
  const maxNetworkRetries = options.maxNetworkRetries ?? 4;
  const client = new GraphQLClient(`https://${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    headers: { "X-Shopify-Access-Token": accessToken },
  });
  let lastCost: QueryCost | undefined;
  const redactedFields = new Set<ProtectedCustomerField>();

  async function send<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    const readOnly = isReadOnlyDocument(document);
    let networkAttempt = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await client.rawRequest<T>(document, variables);
        lastCost = (response.extensions as { cost?: QueryCost } | undefined)?.cost ?? lastCost;
        return response.data;
      } catch (error) {
        if (readOnly && networkAttempt < maxNetworkRetries && isNetworkError(error)) {
          // A reset kept-alive connection or a blip: a read is safe to resend once the network has had a moment.
          const waitMs = Math.round(NETWORK_BACKOFF_MS * 2 ** networkAttempt * (1 + Math.random() / 2));
          networkAttempt++;
          logger.debug({ shop, waitMs, attempt: networkAttempt, err: error }, "admin api network error, retrying");
          await sleep(waitMs);
          continue;
        }
        if (!(error instanceof ClientError)) throw error;
        const errors = error.response.errors ?? [];
        const cost = (error.response.extensions as { cost?: QueryCost } | undefined)?.cost;
        if (cost) lastCost = cost;
        const throttled = errors.some((e) => e.extensions?.code === "THROTTLED");
        if (throttled && attempt < maxRetries && cost) {
          const { requestedQueryCost } = cost;
          const { currentlyAvailable, restoreRate } = cost.throttleStatus;
          // Exactly the refill time, plus a random share of one request's worth: jobs of the same shop (write-back,
          // Flow triggers, other workers) share its bucket, and equal waits would make them collide again.
          const refillMs = (Math.max(0, requestedQueryCost - currentlyAvailable) / restoreRate) * 1000;
          const waitMs = Math.ceil(refillMs + 50 + Math.random() * (requestedQueryCost / restoreRate) * 1000);
          logger.debug({ shop, waitMs, attempt }, "admin api throttled, waiting for the bucket to refill");
          recordThrottleWait(shop, "throttled", waitMs);
          await sleep(waitMs);
          continue;
        }
        // Only redacted protected fields, the rest of the answer intact: use it, and remember what was withheld.
        const fields = errors.map((e) => (isProtectedDataError(e) ? protectedFieldOf(e) : null));
        const data: unknown = error.response.data;
        if (errors.length > 0 && data && fields.every((f) => f !== null)) {
          for (const f of fields) if (f) redactedFields.add(f);
          logger.debug({ shop, fields: [...redactedFields] }, "protected customer fields redacted by Shopify");
          return data as T;
        }
        if (errors.length > 0) {
          throw new AdminApiError(`Admin API error for ${shop}: ${errors.map((e) => e.message).join("; ")}`, errors);
        }
        throw new AdminApiError(`Admin API answered HTTP ${error.response.status} for ${shop}`, []);
      }
    }
  }

  return {
    shop,
    get lastCost() {
      return lastCost;
    },
    redactedFields,
    request: <D extends AdminDocument>(document: D, ...variables: VariablesArgs<D>) =>
      send<ResultOf<D>>(document, variables[0] as Record<string, unknown> | undefined),
    requestRendered: send,
  };
}
