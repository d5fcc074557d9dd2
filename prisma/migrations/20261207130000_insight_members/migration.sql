-- The customers behind each row of the newest insights (rfm.insights rewrites a shop's rows with its InsightRun):
-- one row per insight group and customer, so the insight's customer list pages by keyset straight off the primary
-- key, and the list holds exactly the customers the stored figures counted.
CREATE TABLE "InsightMember" (
  "shop" TEXT NOT NULL,
  -- product, vendor, product_type, channel, campaign, coupon, cohort.
  "dim" TEXT NOT NULL,
  "key" TEXT NOT NULL,
  "customerId" BIGINT NOT NULL,
  CONSTRAINT "InsightMember_pkey" PRIMARY KEY ("shop", "dim", "key", "customerId")
);
