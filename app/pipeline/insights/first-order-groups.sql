-- Per product, vendor and product type in each customer's FIRST counted order (earliest processedAt, then lowest id),
-- per acquisition channel (dim 'channel', k 'tactic:source' of the first order's first visit, tactic 'none' when
-- Shopify names none) and per UTM campaign of that visit, per journey state of the first order (dim 'journey', k the
-- OrderJourney state or 'unknown' when none is stored), and once for the whole shop (dim 'shop', k ''): customers,
-- those with a second counted order, those now in the loyal / lost segments, and the median net spend to date
-- (rounded half up to cents). A customer whose first order had two products counts for both.
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
WITH firsts AS MATERIALIZED (
  SELECT DISTINCT ON (o."customerId") o."customerId" AS cid, o.id
  FROM "Order" o
  WHERE o.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/
  ORDER BY o."customerId", o."processedAt", o.id
), journeys AS MATERIALIZED (
  SELECT f.cid, coalesce(j.state, 'unknown') AS state, lower(coalesce(j."sourceType", 'none')) || ':' || j.source AS channel,
         j."utmCampaign" AS campaign
  FROM firsts f LEFT JOIN "OrderJourney" j ON j.shop = $1 AND j."orderId" = f.id
), people AS MATERIALIZED (
  SELECT a."customerId" AS cid, a."orderCount" >= 2 AS repeated, a."netSpend" AS net,
         coalesce(s.segment = ANY($2::text[]), false) AS loyal, coalesce(s.segment = ANY($3::text[]), false) AS lost
  FROM "CustomerAggregate" a
  LEFT JOIN "CustomerScore" s ON s.shop = a.shop AND s."customerId" = a."customerId"
  WHERE a.shop = $1
), first_lines AS MATERIALIZED (
  SELECT DISTINCT f.cid, l."productId", l.vendor, l."productType"
  FROM firsts f JOIN "OrderLine" l ON l.shop = $1 AND l."orderId" = f.id
), groups AS (
  SELECT DISTINCT 'product'::text AS dim, "productId"::text AS k, cid FROM first_lines WHERE "productId" IS NOT NULL
  UNION ALL
  SELECT DISTINCT 'vendor', vendor, cid FROM first_lines WHERE vendor IS NOT NULL AND vendor <> ''
  UNION ALL
  SELECT DISTINCT 'product_type', "productType", cid FROM first_lines WHERE "productType" IS NOT NULL AND "productType" <> ''
  UNION ALL
  SELECT 'channel', channel, cid FROM journeys WHERE state = 'attributed' AND channel IS NOT NULL
  UNION ALL
  SELECT 'campaign', campaign, cid FROM journeys WHERE state = 'attributed' AND campaign IS NOT NULL
  UNION ALL
  SELECT 'journey', state, cid FROM journeys
  UNION ALL
  SELECT 'shop', '', cid FROM people
)
SELECT g.dim, g.k, count(*)::int AS customers,
       (count(*) FILTER (WHERE p.repeated))::int AS repeaters,
       (count(*) FILTER (WHERE p.loyal))::int AS loyal,
       (count(*) FILTER (WHERE p.lost))::int AS lost,
       -- Exact on numeric: the two middle values (one when n is odd), halved, rounded half up to cents.
       round((percentile_disc(0.5) WITHIN GROUP (ORDER BY p.net)
         + percentile_disc(0.5) WITHIN GROUP (ORDER BY p.net DESC)) / 2, 2)::float8 AS median_net
FROM groups g JOIN people p USING (cid)
GROUP BY g.dim, g.k
