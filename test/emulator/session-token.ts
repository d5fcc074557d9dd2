import { createHmac, randomUUID } from "node:crypto";

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

export interface SessionTokenClaims {
  shop: string;
  apiKey: string;
  userId?: number;
  /** Lifetime in seconds (Shopify: one minute). */
  ttlSeconds?: number;
  now?: number;
}

/** Mints an App Bridge session token (HS256 JWT signed with the app's secret), as the admin does. */
export function mintSessionToken(secret: string, claims: SessionTokenClaims): string {
  const now = Math.floor((claims.now ?? Date.now()) / 1000);
  const payload = {
    iss: `https://${claims.shop}/admin`,
    dest: `https://${claims.shop}`,
    aud: claims.apiKey,
    sub: String(claims.userId ?? 1),
    exp: now + (claims.ttlSeconds ?? 60),
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const signature = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

/** Verifies a session token the way Shopify's token endpoint does; returns its claims or null. */
export function verifySessionToken(
  secret: string,
  token: string,
  apiKey: string,
): { dest: string; sub: string } | null {
  const [head, body, signature] = token.split(".");
  if (!head || !body || !signature) return null;
  const expected = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  if (expected !== signature) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as {
      aud: string;
      exp: number;
      dest: string;
      sub: string;
    };
    if (claims.aud !== apiKey) return null;
    if (claims.exp * 1000 < Date.now() - 10_000) return null;
    return claims;
  } catch {
    return null;
  }
}
