export const METAFIELD_DEFINITION_CREATE = `#graphql
  mutation RfmMetafieldDefinition($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** The bulk mutation: run once per JSONL line of variables. */
export const METAFIELDS_SET_BULK = `#graphql
  mutation RfmMetafieldsBulk($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const METAFIELDS_DELETE = `#graphql
  mutation RfmMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        ownerId
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** One aliased call of the paced batch (app/shopify/aliased-batch.server.ts): `$m<i>` holds its metafields. */
export const METAFIELDS_SET_CALL = {
  variableType: "[MetafieldsSetInput!]!",
  field: (metafields: string) =>
    `metafieldsSet(metafields: ${metafields}) { userErrors { field message code elementIndex } }`,
} as const;
