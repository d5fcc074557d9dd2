-- One bounded step of the inbox prune: among a shop's next $3 rows after seq $2 (primary-key order), delete the
-- applied ones received before $4; pending rows and dead letters stay. "lastSeq" is where the next step starts (NULL:
-- nothing after $2); "anyOld" false means the page held only rows received since $4, so the rest of the shop is newer.
-- @param $1 shop text
-- @param $2 afterSeq int8
-- @param $3 limit int4
-- @param $4 before timestamptz
-- @row deleted int4
-- @row "lastSeq" int8?
-- @row "anyOld" bool
WITH page AS MATERIALIZED (
  SELECT seq, "appliedAt", "receivedAt" FROM "WebhookInbox" WHERE shop = $1 AND seq > $2 ORDER BY seq LIMIT $3
), gone AS (
  DELETE FROM "WebhookInbox" w USING page p
  WHERE w.shop = $1 AND w.seq = p.seq AND p."appliedAt" IS NOT NULL AND p."receivedAt" < $4
  RETURNING w.seq
)
SELECT (SELECT count(*) FROM gone)::int AS deleted,
       (SELECT max(seq) FROM page) AS "lastSeq",
       coalesce((SELECT bool_or("receivedAt" < $4) FROM page), false) AS "anyOld"
