-- Movement between two dates: how many customers went from each segment to each other
-- (NULL: not scored on that date). Who was in which segment on a date: the ended stays
-- in SegmentMembership ([validFrom, validTo)) plus the open stays in CustomerScore.
-- @param $1 shop text
-- @param $2 from date
-- @param $3 to date
-- @row from text?
-- @row to text?
-- @row customers int4
SELECT a.segment AS "from", b.segment AS "to", count(*)::int AS customers
FROM (
  SELECT "customerId" AS cid, segment FROM "SegmentMembership"
  WHERE shop = $1 AND kind = 'rfm' AND "validFrom" <= $2::date AND "validTo" > $2::date
  UNION ALL
  SELECT "customerId", segment FROM "CustomerScore" WHERE shop = $1 AND "segmentSince" <= $2::date
) a FULL JOIN (
  SELECT "customerId" AS cid, segment FROM "SegmentMembership"
  WHERE shop = $1 AND kind = 'rfm' AND "validFrom" <= $3::date AND "validTo" > $3::date
  UNION ALL
  SELECT "customerId", segment FROM "CustomerScore" WHERE shop = $1 AND "segmentSince" <= $3::date
) b ON a.cid = b.cid
GROUP BY 1, 2 ORDER BY 3 DESC
