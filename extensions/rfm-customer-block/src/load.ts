import type { CustomerBlockPayload } from "./payload";

/** What the block shows: loading, the customer's data (score null: not scored yet), not known to the app, or an error. */
export type BlockState =
  { status: "loading" } | { status: "ready"; data: CustomerBlockPayload } | { status: "unknown" } | { status: "error" };

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** "gid://shopify/Customer/123" → "123" (null for anything else). */
export function customerNumericId(gid: string | undefined): string | null {
  return /^gid:\/\/shopify\/Customer\/([1-9]\d{0,18})$/.exec(gid ?? "")?.[1] ?? null;
}

/**
 * Reads the block's data from the app backend. In the admin, `fetch` of a
 * relative URL goes to the app's URL with Shopify's ID token added, so no
 * token handling here.
 */
export async function loadCustomerBlock(
  fetchImpl: Fetch,
  customerGid: string | undefined,
  locale: string,
): Promise<BlockState> {
  const id = customerNumericId(customerGid);
  if (!id) return { status: "error" };
  try {
    const response = await fetchImpl(`/api/customer-block/${id}?locale=${encodeURIComponent(locale)}`);
    // A customer the app has not seen yet (no order, webhook still on its way) is simply not scored.
    if (response.status === 404) return { status: "unknown" };
    if (!response.ok) return { status: "error" };
    return { status: "ready", data: (await response.json()) as CustomerBlockPayload };
  } catch {
    return { status: "error" };
  }
}
