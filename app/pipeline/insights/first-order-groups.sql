-- Per product, vendor and product type in each customer's FIRST counted order (earliest processedAt, then lowest id),
-- per acquisition channel (dim 'channel', k 'tactic:source' of the first order's first visit, tactic 'none' when
-- Shopify names none) and per UTM campaign of that visit, per journey state of the first order (dim 'journey', k the
-- OrderJourney state or 'unknown' when none is stored), and once for the whole shop (dim 'shop', k ''): customers,
-- those with a second counted order, those now in the loyal / lost segments, and the median net spend to date
-- (rounded half up to cents). A customer whose first order had two products counts for both; two lines of one product
-- (or vendor, or type) count once: the groups are counted from their InsightMember rows, filled just before.
-- @setup pipeline/insights/create-insight-buyers.sql
-- @param $1 shop text
-- @param $2 loyalSegments text[]
-- @param $3 lostSegments text[]
-- @row dim text
-- @row k text
-- @row customers int4
-- @row repeaters int4
-- @row loyal int4
-- @row lost int4
-- @row median_net float8
WITH people AS (
  SELECT cid, first_order, orders >= 2 AS repeated, net,
         coalesce(segment = ANY($2::text[]), false) AS loyal, coalesce(segment = ANY($3::text[]), false) AS lost
  FROM insight_buyer
)
-- The groups the insight's customer lists show, counted from their members (fill-insight-members.sql).
SELECT m.dim, m.key AS k, /*@include pipeline/insights/group-stats.fragment.sql*/
FROM "InsightMember" m JOIN people p ON p.cid = m."customerId"
WHERE m.shop = $1 AND m.dim IN ('product', 'vendor', 'product_type', 'channel', 'campaign')
GROUP BY m.dim, m.key
UNION ALL
SELECT 'journey', coalesce(j.state, 'unknown'), /*@include pipeline/insights/group-stats.fragment.sql*/
FROM people p LEFT JOIN "OrderJourney" j ON j.shop = $1 AND j."orderId" = p.first_order
GROUP BY coalesce(j.state, 'unknown')
UNION ALL
SELECT 'shop', '', /*@include pipeline/insights/group-stats.fragment.sql*/
FROM people
