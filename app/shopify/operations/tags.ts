/** Bulk mutations: run once per JSONL line `{ id, tags }`. */
export const TAGS_REMOVE = `#graphql
  mutation AppTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const TAGS_ADD = `#graphql
  mutation AppTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

/** The calls of the paced batch (app/shopify/aliased-batch.server.ts), given the variables they use. */
export const TAGS_REMOVE_CALL = (id: string, tags: string) =>
  `tagsRemove(id: ${id}, tags: ${tags}) { userErrors { field message } }`;
export const TAGS_ADD_CALL = (id: string, tags: string) =>
  `tagsAdd(id: ${id}, tags: ${tags}) { userErrors { field message } }`;
