import { AsyncLocalStorage } from "node:async_hooks";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import type { Logger } from "../platform/logger.server";

/**
 * Token exchange and session-token failures answered as what they are, never a bare 500.
 *
 * @shopify/shopify-app-remix v6 answers a session token Shopify's token endpoint rejects as `invalid_subject_token`
 * with its re-auth flow (document: bounce page; fetch: 401 + X-Shopify-Retry-Invalid-Session-Request), but turns
 * every other failure of the exchange — Shopify refusing it otherwise (an unknown or uninstalled shop: 404, bad
 * client credentials: 401), Shopify unreachable or timing out — into an empty 500 without logging why. This guard
 * watches the exchange (the library's fetch, per request) and answers those:
 *   refused     → 401, with X-Shopify-Retry-Invalid-Session-Request: 1 on App Bridge fetches (it retries once with a
 *                 fresh session token, as for the library's own 401)
 *   unreachable → 503 with Retry-After (network error, timeout, or Shopify answering 5xx/429)
 * and logs the reason (warn).
 */

const TOKEN_ENDPOINT = /^\/admin\/oauth\/access_token$/;
export const RETRY_INVALID_SESSION_HEADER = "X-Shopify-Retry-Invalid-Session-Request";

export type TokenExchangeFailure =
  { kind: "refused"; status: number; detail: string } | { kind: "unreachable"; status?: number; detail: string };

interface Attempt {
  failure?: TokenExchangeFailure;
}

const attempts = new AsyncLocalStorage<Attempt>();

function urlOf(input: RequestInfo | URL): URL | null {
  try {
    return new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  } catch {
    return null;
  }
}

function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/**
 * Wraps the fetch @shopify/shopify-api uses (call once, after its node adapter is imported): requests to a shop's
 * token endpoint get a timeout, and their failures are recorded for the request being authenticated.
 */
export function installTokenExchangeGuard(options: { timeoutMs: number }): void {
  setAbstractFetchFunc(async (input, init) => {
    const url = urlOf(input);
    if (!url || !TOKEN_ENDPOINT.test(url.pathname)) return globalThis.fetch(input, init);
    const attempt = attempts.getStore();
    try {
      const response = await globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
      if (!response.ok && attempt) {
        const detail = `HTTP ${response.status} ${(await response.clone().text()).slice(0, 200)}`.trim();
        const unreachable = response.status >= 500 || response.status === 429;
        attempt.failure = unreachable
          ? { kind: "unreachable", status: response.status, detail }
          : { kind: "refused", status: response.status, detail };
      }
      return response;
    } catch (error) {
      if (attempt) attempt.failure = { kind: "unreachable", detail: reasonOf(error, options.timeoutMs) };
      throw error;
    }
  });
}

/** For the log line: the shop in the URL, or the `dest` of the (already verified) bearer session token. */
function shopOf(request: Request): string | null {
  const fromUrl = new URL(request.url).searchParams.get("shop");
  if (fromUrl) return fromUrl;
  const payload = /^Bearer [^.]+\.([^.]+)\./.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const dest = typeof claims === "object" && claims && "dest" in claims ? claims.dest : undefined;
    return typeof dest === "string" ? new URL(dest).hostname : null;
  } catch {
    return null;
  }
}

/** The answer for a failed exchange; CORS headers the library set on its 500 are kept (admin extensions call in). */
export function answerFor(failure: TokenExchangeFailure, request: Request, original: Response): Response {
  const headers = new Headers();
  original.headers.forEach((value, name) => {
    if (name.toLowerCase().startsWith("access-control-")) headers.set(name, value);
  });
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  if (failure.kind === "unreachable") {
    headers.set("Retry-After", "5");
    return new Response("Shopify could not be reached to authenticate this request; try again shortly.", {
      status: 503,
      headers,
    });
  }
  const fromAppBridge = request.headers.has("authorization");
  if (fromAppBridge) headers.set(RETRY_INVALID_SESSION_HEADER, "1");
  return new Response("Shopify refused this session. Open the app again from your Shopify admin.", {
    status: 401,
    headers,
  });
}

/** authenticate.admin, with failed token exchanges answered 401/503 (and logged) instead of the library's 500. */
export function guardAuthenticateAdmin<T>(
  authenticateAdmin: (request: Request) => Promise<T>,
  logger: Logger,
): (request: Request) => Promise<T> {
  return async (request) => {
    const attempt: Attempt = {};
    try {
      return await attempts.run(attempt, () => authenticateAdmin(request));
    } catch (thrown) {
      const failure = attempt.failure;
      if (!failure || !(thrown instanceof Response)) throw thrown;
      const shop = shopOf(request);
      if (thrown.status !== 500) {
        // The library's own answer (its re-auth flow for invalid_subject_token): kept, and now logged.
        logger.warn({ shop, status: thrown.status, reason: failure.detail }, "session token refused by Shopify");
        throw thrown;
      }
      const answer = answerFor(failure, request, thrown);
      logger.warn(
        { shop, status: answer.status, reason: failure.detail, path: new URL(request.url).pathname },
        failure.kind === "refused" ? "token exchange refused by Shopify" : "token exchange failed: Shopify unreachable",
      );
      throw answer;
    }
  };
}
