import { payloadOf } from "./admin-errors.server";
import type { AdminClient, VariablesOf } from "./admin-client.server";
import { METAFIELD_DEFINITION_CREATE, METAFIELDS_DELETE } from "./operations/metafields";

export type MetafieldDefinitionInput = VariablesOf<typeof METAFIELD_DEFINITION_CREATE>["definition"];
export type MetafieldIdentifierInput = { ownerId: string; namespace: string; key: string };

export async function metafieldDefinitionCreate(admin: AdminClient, definition: MetafieldDefinitionInput) {
  const data = await admin.request(METAFIELD_DEFINITION_CREATE, { definition });
  return payloadOf("metafieldDefinitionCreate", data.metafieldDefinitionCreate);
}

export async function metafieldsDelete(admin: AdminClient, metafields: MetafieldIdentifierInput[]) {
  return payloadOf("metafieldsDelete", (await admin.request(METAFIELDS_DELETE, { metafields })).metafieldsDelete);
}
