/**
 * flowTriggerReceive, sent only as calls of the paced batch
 * (app/shopify/aliased-batch.server.ts), given the variables it uses.
 */
export const FLOW_TRIGGER_RECEIVE_CALL = (handle: string, payload: string) =>
  `flowTriggerReceive(handle: ${handle}, payload: ${payload}) { userErrors { field message } }`;
