-- Dead letters back into the queue after a fix: they are applied again in their place (seq order).
-- @param $1 shop text
UPDATE "WebhookInbox" SET "deadAt" = NULL, attempts = 0 WHERE shop = $1 AND "deadAt" IS NOT NULL
