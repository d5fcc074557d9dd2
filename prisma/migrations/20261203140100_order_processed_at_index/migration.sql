-- Scoring's sale-day lookup reads only the orders of the candidate days (and windowed runs only the window).
CREATE INDEX "Order_shop_processedAt_idx" ON "Order"("shop", "processedAt");
