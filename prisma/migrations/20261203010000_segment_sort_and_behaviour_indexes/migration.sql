-- Sorted segment pages: the keyset (sort value, id) of each sort the page offers, so a page by recency or orders
-- reads its 51 rows off an index instead of sorting the whole segment (by spend already had one).
CREATE INDEX "CustomerScore_shop_segment_lastOrderDate_customerId_idx" ON "CustomerScore"("shop", "segment", "lastOrderDate", "customerId");
CREATE INDEX "CustomerScore_shop_segment_frequency_customerId_idx" ON "CustomerScore"("shop", "segment", "frequency", "customerId");

-- Behaviour pages: one partial index per behaviour and sort, holding only that behaviour's members, so a page
-- reads its members in order with LIMIT however big the shop (was a sequential scan of every score). Partial
-- indexes rather than a membership table: they follow "behaviours" on every write, with no second writer to keep
-- in step. The page names the behaviour as a literal (segment-page.server.ts) so the planner can pick them.
CREATE INDEX "CustomerScore_b_vip_top_1_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['vip_top_1']::text[];
CREATE INDEX "CustomerScore_b_vip_top_1_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['vip_top_1']::text[];
CREATE INDEX "CustomerScore_b_vip_top_1_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['vip_top_1']::text[];
CREATE INDEX "CustomerScore_b_vip_top_5_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['vip_top_5']::text[];
CREATE INDEX "CustomerScore_b_vip_top_5_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['vip_top_5']::text[];
CREATE INDEX "CustomerScore_b_vip_top_5_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['vip_top_5']::text[];
CREATE INDEX "CustomerScore_b_vip_top_20_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['vip_top_20']::text[];
CREATE INDEX "CustomerScore_b_vip_top_20_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['vip_top_20']::text[];
CREATE INDEX "CustomerScore_b_vip_top_20_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['vip_top_20']::text[];
CREATE INDEX "CustomerScore_b_first_time_seasonal_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['first_time_seasonal']::text[];
CREATE INDEX "CustomerScore_b_first_time_seasonal_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['first_time_seasonal']::text[];
CREATE INDEX "CustomerScore_b_first_time_seasonal_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['first_time_seasonal']::text[];
CREATE INDEX "CustomerScore_b_coupon_shopper_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['coupon_shopper']::text[];
CREATE INDEX "CustomerScore_b_coupon_shopper_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['coupon_shopper']::text[];
CREATE INDEX "CustomerScore_b_coupon_shopper_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['coupon_shopper']::text[];
CREATE INDEX "CustomerScore_b_sale_shopper_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['sale_shopper']::text[];
CREATE INDEX "CustomerScore_b_sale_shopper_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['sale_shopper']::text[];
CREATE INDEX "CustomerScore_b_sale_shopper_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['sale_shopper']::text[];
CREATE INDEX "CustomerScore_b_dissatisfied_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['dissatisfied']::text[];
CREATE INDEX "CustomerScore_b_dissatisfied_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['dissatisfied']::text[];
CREATE INDEX "CustomerScore_b_dissatisfied_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['dissatisfied']::text[];
CREATE INDEX "CustomerScore_b_brand_loyal_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['brand_loyal']::text[];
CREATE INDEX "CustomerScore_b_brand_loyal_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['brand_loyal']::text[];
CREATE INDEX "CustomerScore_b_brand_loyal_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['brand_loyal']::text[];
CREATE INDEX "CustomerScore_b_high_value_at_risk_spend_idx" ON "CustomerScore"("shop", "monetary", "customerId") WHERE "behaviours" @> ARRAY['high_value_at_risk']::text[];
CREATE INDEX "CustomerScore_b_high_value_at_risk_recency_idx" ON "CustomerScore"("shop", "lastOrderDate", "customerId") WHERE "behaviours" @> ARRAY['high_value_at_risk']::text[];
CREATE INDEX "CustomerScore_b_high_value_at_risk_orders_idx" ON "CustomerScore"("shop", "frequency", "customerId") WHERE "behaviours" @> ARRAY['high_value_at_risk']::text[];
