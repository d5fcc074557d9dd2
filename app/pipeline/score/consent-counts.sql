-- Per segment and per behaviour: scored customers who accept email marketing and SMS marketing (consent as stored
-- now; a deleted customer accepts nothing). kind 'rfm' or 'behaviour'.
-- @param $1 shop text
-- @row kind text
-- @row k text
-- @row email int4
-- @row sms int4
-- One join, grouped to the few distinct (segment, behaviours, consent) combinations before anything is unnested.
WITH g AS MATERIALIZED (
  SELECT s.segment, s.behaviours,
         coalesce(/*@include domain/accepts-email-marketing.fragment.sql*/, false) AS email,
         coalesce(/*@include domain/accepts-sms-marketing.fragment.sql*/, false) AS sms,
         count(*) AS n
  FROM "CustomerScore" s
  LEFT JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId" AND c."deletedAt" IS NULL
  WHERE s.shop = $1
  GROUP BY 1, 2, 3, 4
)
SELECT 'rfm'::text AS kind, segment AS k,
       coalesce(sum(n) FILTER (WHERE email), 0)::int AS email, coalesce(sum(n) FILTER (WHERE sms), 0)::int AS sms
FROM g GROUP BY 2
UNION ALL
SELECT 'behaviour', b, coalesce(sum(n) FILTER (WHERE email), 0)::int, coalesce(sum(n) FILTER (WHERE sms), 0)::int
FROM g CROSS JOIN unnest(g.behaviours) b GROUP BY 2
