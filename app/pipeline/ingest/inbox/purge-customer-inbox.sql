-- customers/redact, inbox side: empty the payloads about the customer or any of the orders (rows stay for the
-- duplicate keys until the prune).
-- @param $1 shop text
-- @param $2 customerId int8
-- @param $3 orderIds int8[]
UPDATE "WebhookInbox" SET body = NULL, "purgedAt" = coalesce("purgedAt", now())
WHERE shop = $1 AND body IS NOT NULL AND ("customerId" = $2 OR "orderId" = ANY($3::bigint[]))
