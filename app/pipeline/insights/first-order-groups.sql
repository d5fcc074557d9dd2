-- Per product, vendor and product type in each customer's FIRST counted order (earliest processedAt, then lowest id),
-- per acquisition channel (dim 'channel', k 'tactic:source' of the first order's first visit, tactic 'none' when
-- Shopify names none) and per UTM campaign of that visit, per journey state of the first order (dim 'journey', k the
-- OrderJourney state or 'unknown' when none is stored), and once for the whole shop (dim 'shop', k ''): customers,
-- those with a second counted order, those now in the loyal / lost segments, and the median net spend to date
-- (rounded half up to cents). A customer whose first order had two products counts for both; two lines of one product
-- (or vendor, or type) count once. Each dimension is deduplicated and grouped in one sort by its own key.
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
), first_lines AS MATERIALIZED (
  SELECT p.cid, l."productId" AS product, l.vendor, l."productType" AS product_type, p.repeated, p.loyal, p.lost, p.net
  FROM people p JOIN "OrderLine" l ON l.shop = $1 AND l."orderId" = p.first_order
), journeys AS MATERIALIZED (
  SELECT p.cid, coalesce(j.state, 'unknown') AS state,
         lower(coalesce(j."sourceType", 'none')) || ':' || j.source AS channel, j."utmCampaign" AS campaign,
         p.repeated, p.loyal, p.lost, p.net
  FROM people p LEFT JOIN "OrderJourney" j ON j.shop = $1 AND j."orderId" = p.first_order
)
SELECT 'product'::text AS dim, product::text AS k, /*@include pipeline/insights/group-stats.fragment.sql*/
FROM (SELECT DISTINCT ON (product, cid) * FROM first_lines WHERE product IS NOT NULL ORDER BY product, cid) x
GROUP BY product
UNION ALL
SELECT 'vendor', vendor, /*@include pipeline/insights/group-stats.fragment.sql*/
FROM (SELECT DISTINCT ON (vendor, cid) * FROM first_lines WHERE vendor IS NOT NULL AND vendor <> '' ORDER BY vendor, cid) x
GROUP BY vendor
UNION ALL
SELECT 'product_type', product_type, /*@include pipeline/insights/group-stats.fragment.sql*/
FROM (
  SELECT DISTINCT ON (product_type, cid) * FROM first_lines
  WHERE product_type IS NOT NULL AND product_type <> '' ORDER BY product_type, cid
) x
GROUP BY product_type
UNION ALL
SELECT 'channel', channel, /*@include pipeline/insights/group-stats.fragment.sql*/
FROM journeys WHERE state = 'attributed' AND channel IS NOT NULL
GROUP BY channel
UNION ALL
SELECT 'campaign', campaign, /*@include pipeline/insights/group-stats.fragment.sql*/
FROM journeys WHERE state = 'attributed' AND campaign IS NOT NULL
GROUP BY campaign
UNION ALL
SELECT 'journey', state, /*@include pipeline/insights/group-stats.fragment.sql*/
FROM journeys
GROUP BY state
UNION ALL
SELECT 'shop', '', /*@include pipeline/insights/group-stats.fragment.sql*/
FROM people
