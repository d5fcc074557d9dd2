import type { AdminClient, ResultOf } from "./admin-client.server";
import { SEGMENT_FILTERS, SEGMENT_MEMBER_IDS } from "./operations/engagement";

/** Every segment filter's query name the shop has (segmentFilters, paged). */
export async function segmentFilterNames(admin: AdminClient): Promise<string[]> {
  const names: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data: ResultOf<typeof SEGMENT_FILTERS> = await admin.request(SEGMENT_FILTERS, { after });
    names.push(...data.segmentFilters.nodes.map((n) => n.queryName));
    if (!data.segmentFilters.pageInfo.hasNextPage) return names;
    after = data.segmentFilters.pageInfo.endCursor ?? null;
  }
}

/**
 * Members per page: Shopify allows 1000, but a connection costs 2 + first points and a single query may cost at most
 * 1000, so the largest page that fits.
 */
export const SEGMENT_MEMBERS_PAGE = 998;

const MEMBER_ID = /^gid:\/\/shopify\/CustomerSegmentMember\/(\d+)$/;

/** One page of the customer ids matching a segment query; dates in the query are days in `timezone`. */
export async function segmentMemberIdsPage(
  admin: AdminClient,
  query: string,
  after: string | null,
  timezone: string,
  first = SEGMENT_MEMBERS_PAGE,
): Promise<{ customerIds: bigint[]; next: string | null }> {
  const data = await admin.request(SEGMENT_MEMBER_IDS, { query, first, after, timezone });
  const page = data.customerSegmentMembers;
  const customerIds = page.edges.map((e) => {
    const m = MEMBER_ID.exec(e.node.id);
    if (!m?.[1]) throw new Error(`unexpected segment member id ${e.node.id}`);
    return BigInt(m[1]);
  });
  return { customerIds, next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null };
}
