-- The customer page's orders (customer-orders.server.ts): the newest 50 and how many there are, off one index.
-- By (shop, customerId) alone a customer with thousands of orders had all of them read and sorted for the 50, or
-- the planner walked the shop's orders by date instead; partial on what the page lists, so the count is index-only.
CREATE INDEX "Order_customer_listed_idx" ON "Order" ("shop", "customerId", "processedAt" DESC, "id" DESC)
  WHERE "deletedAt" IS NULL AND "test" = false;
