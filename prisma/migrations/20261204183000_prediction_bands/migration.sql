-- Prediction bands beside the scores (set by the prediction job, kept by scoring runs): what the metafields
-- rfm.p_alive, rfm.predicted_value_12m and rfm.expected_orders_365 hold. NULL: no prediction for the customer.
ALTER TABLE "CustomerScore" ADD COLUMN "pAliveBand" TEXT, ADD COLUMN "valueTier" TEXT, ADD COLUMN "ordersBand" TEXT;

-- The prediction behaviours' segment pages, as the other behaviours' (20261203010000).
CREATE INDEX "CustomerScore_b_likely_to_churn_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['likely_to_churn']::text[];
CREATE INDEX "CustomerScore_b_likely_to_churn_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['likely_to_churn']::text[];
CREATE INDEX "CustomerScore_b_likely_to_churn_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['likely_to_churn']::text[];
CREATE INDEX "CustomerScore_b_rising_star_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['rising_star']::text[];
CREATE INDEX "CustomerScore_b_rising_star_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['rising_star']::text[];
CREATE INDEX "CustomerScore_b_rising_star_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['rising_star']::text[];
CREATE INDEX "CustomerScore_b_ordering_soon_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['ordering_soon']::text[];
CREATE INDEX "CustomerScore_b_ordering_soon_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['ordering_soon']::text[];
CREATE INDEX "CustomerScore_b_ordering_soon_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['ordering_soon']::text[];
