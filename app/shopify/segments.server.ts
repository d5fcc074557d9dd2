import { payloadOf } from "./admin-errors.server";
import type { AdminClient } from "./admin-client.server";
import { SEGMENT_BY_ID, SEGMENT_BY_NAME, SEGMENT_CREATE, SEGMENT_DELETE, SEGMENT_UPDATE } from "./operations/segments";

/**
 * The shop's segment of exactly this name, if any (segment names are unique per shop). The name
 * search is Shopify's text search, so its hits are checked for the exact name.
 */
export async function segmentByName(admin: AdminClient, name: string) {
  const data = await admin.request(SEGMENT_BY_NAME, { query: `name:'${name.replaceAll("'", "\\'")}'` });
  return data.segments.nodes.find((s) => s.name === name) ?? null;
}

export async function segmentExists(admin: AdminClient, id: string): Promise<boolean> {
  return (await admin.request(SEGMENT_BY_ID, { id })).segment != null;
}

export async function segmentCreate(admin: AdminClient, name: string, query: string) {
  return payloadOf("segmentCreate", (await admin.request(SEGMENT_CREATE, { name, query })).segmentCreate);
}

export async function segmentUpdate(admin: AdminClient, id: string, changes: { name?: string; query?: string }) {
  return payloadOf("segmentUpdate", (await admin.request(SEGMENT_UPDATE, { id, ...changes })).segmentUpdate);
}

export async function segmentDelete(admin: AdminClient, id: string) {
  return payloadOf("segmentDelete", (await admin.request(SEGMENT_DELETE, { id })).segmentDelete);
}
