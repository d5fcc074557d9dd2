-- Events the applier dropped for a redaction marker (late retries about a redacted customer or order): their
-- payloads go at once rather than waiting for the prune.
-- @param $1 shop text
-- @param $2 seqs int8[]
UPDATE "WebhookInbox" SET body = NULL, "purgedAt" = coalesce("purgedAt", now())
WHERE shop = $1 AND seq = ANY($2::bigint[]) AND body IS NOT NULL
