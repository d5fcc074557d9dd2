-- The run summary's figures of the given behaviours, read from the stored scores: customers, net spend in the
-- window, orders, median days since the last order (percentile_cont, as the full run's summary computes it) and the
-- customers who accept email / SMS marketing. For behaviours set after the run's summary was written (predictions).
-- @param $1 shop text
-- @param $2 asOf date
-- @param $3 behaviours text[]
-- @row k text
-- @row customers int4
-- @row revenue text
-- @row orders int8
-- @row median float8
-- @row email int4
-- @row sms int4
SELECT b AS k, count(*)::int AS customers, sum(s.monetary)::text AS revenue, sum(s.frequency)::int8 AS orders,
       (percentile_cont(0.5) WITHIN GROUP (ORDER BY $2::date - s."lastOrderDate"))::float8 AS median,
       (count(*) FILTER (WHERE coalesce(/*@include domain/accepts-email-marketing.fragment.sql*/, false)))::int AS email,
       (count(*) FILTER (WHERE coalesce(/*@include domain/accepts-sms-marketing.fragment.sql*/, false)))::int AS sms
FROM "CustomerScore" s
CROSS JOIN unnest(s.behaviours) b
LEFT JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId" AND c."deletedAt" IS NULL
WHERE s.shop = $1 AND s.behaviours && $3::text[] AND b = ANY($3::text[])
GROUP BY b
