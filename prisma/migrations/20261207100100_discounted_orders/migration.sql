-- Scoring's sale-day lookup (launchDays in scoring.server.ts) reads every counted order with a discount code: this
-- index holds only those, with the two columns it reads, so a run scans them index-only instead of every order of
-- the shop. Its predicate is the lookup's WHERE (COUNTED and a code), word for word.
CREATE INDEX "Order_counted_discounted_idx" ON "Order" ("shop") INCLUDE ("processedAt", "discountCodes")
  WHERE cardinality("discountCodes") > 0 AND "customerId" IS NOT NULL AND NOT "test" AND "cancelledAt" IS NULL
    AND "deletedAt" IS NULL;
