/** Documents for bulk mutations through a staged JSONL upload (Admin API 2026-10). */
export const STAGED_UPLOAD = `mutation BulkVariablesUpload($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url parameters { name value } } userErrors { field message } }
}`;

export const RUN_BULK_MUTATION = `mutation BulkMutationRun($mutation: String!, $path: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) { bulkOperation { id status } userErrors { field message code } }
}`;

export const BULK_STATUS = `query BulkMutationStatus($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl } }`;

export const CURRENT_BULK_MUTATION = `query BulkMutationCurrent { currentBulkOperation(type: MUTATION) { id status } }`;
