-- A daily run scores only what changed since the last full run (scoring.server.ts, scopeOfDay): these find
-- each kind of change with an index instead of comparing every customer.
-- Aggregates recomputed since the last full run read them (computedAt is the recompute's transaction start).
CREATE INDEX "CustomerAggregate_shop_computedAt_idx" ON "CustomerAggregate"("shop", "computedAt");
-- Customers refunded since their last order: "dissatisfied" turns on when days since the order pass their own gap.
CREATE INDEX "CustomerAggregate_refunded_since_idx" ON "CustomerAggregate"("shop", "customerId")
  WHERE "lastRefundAt" >= "lastOrderAt";
-- Recently engaged customers: "lost_engaged" turns off when the last visit or click leaves its window.
CREATE INDEX "CustomerEngagement_shop_last_engaged_idx" ON "CustomerEngagement"("shop", (greatest("lastVisitAt", "lastEmailClickAt")));
-- Customers waiting out the stability rule: their candidate count moves every day.
CREATE INDEX "CustomerScore_candidate_idx" ON "CustomerScore"("shop", "customerId") WHERE "candidateSegment" IS NOT NULL;
