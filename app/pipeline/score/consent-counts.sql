-- Per segment and per behaviour: scored customers who accept email marketing and SMS marketing (consent as stored
-- now; a deleted customer accepts nothing). kind 'rfm' or 'behaviour'.
-- @param $1 shop text
-- @row kind text
-- @row k text
-- @row email int4
-- @row sms int4
SELECT g.kind, g.k,
       (count(*) FILTER (WHERE /*@include domain/accepts-email-marketing.fragment.sql*/))::int AS email,
       (count(*) FILTER (WHERE /*@include domain/accepts-sms-marketing.fragment.sql*/))::int AS sms
FROM "CustomerScore" s
LEFT JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId" AND c."deletedAt" IS NULL
CROSS JOIN LATERAL (
  SELECT 'rfm'::text AS kind, s.segment AS k
  UNION ALL
  SELECT 'behaviour', b FROM unnest(s.behaviours) b
) g
WHERE s.shop = $1
GROUP BY 1, 2
