-- The customers behind each insight group, from insight_buyer: the products, vendors and product types of the first
-- counted order's lines (two lines of one product count once), the channel ('tactic:source', tactic 'none' when
-- Shopify names none) and UTM campaign of an attributed first order's first visit, the coupon group ('first:true' /
-- 'first:false'; 'second:…' for first-order coupon buyers who ordered again) and the cohort month. The first-order
-- groups are counted from these rows (first-order-groups.sql), the coupon groups and cohorts from the same columns.
-- @setup pipeline/insights/create-insight-buyers.sql
-- @param $1 shop text
INSERT INTO "InsightMember" (shop, dim, key, "customerId")
SELECT DISTINCT $1, m.dim, m.key, b.cid
FROM insight_buyer b
JOIN "OrderLine" l ON l.shop = $1 AND l."orderId" = b.first_order
CROSS JOIN LATERAL (
  VALUES ('product', l."productId"::text), ('vendor', nullif(l.vendor, '')), ('product_type', nullif(l."productType", ''))
) m(dim, key)
WHERE m.key IS NOT NULL
UNION ALL
SELECT $1, m.dim, m.key, b.cid
FROM insight_buyer b
JOIN "OrderJourney" j ON j.shop = $1 AND j."orderId" = b.first_order AND j.state = 'attributed'
CROSS JOIN LATERAL (
  VALUES ('channel', lower(coalesce(j."sourceType", 'none')) || ':' || j.source), ('campaign', j."utmCampaign")
) m(dim, key)
WHERE m.key IS NOT NULL
UNION ALL
SELECT $1, 'coupon', 'first:' || b.first_coupon, b.cid FROM insight_buyer b
UNION ALL
SELECT $1, 'coupon', 'second:' || b.second_coupon, b.cid FROM insight_buyer b
WHERE b.first_coupon AND b.second_coupon IS NOT NULL
UNION ALL
SELECT $1, 'cohort', b.cohort, b.cid FROM insight_buyer b
