-- What Shopify's customerJourneySummary says about each order, as far as the insights need it (no landing page or
-- referrer URL: the source names the referring site). state: attributed (ready, a first visit), no_visit (ready, no
-- session recorded: no tracking consent, or not an online-store order), pending (ready: false, asked again by
-- orders.journeys), none (Shopify has no journey for the order: older orders); domain/insights/journey.ts is the one
-- writer of these values. Product types come with the lines.
CREATE TABLE "OrderJourney" (
    "shop" TEXT NOT NULL,
    "orderId" BIGINT NOT NULL,
    "state" TEXT NOT NULL,
    "customerOrderIndex" INTEGER,
    "daysToConversion" INTEGER,
    "source" TEXT,
    "sourceType" TEXT,
    "utmCampaign" TEXT,
    "utmMedium" TEXT,
    "utmSource" TEXT,
    "checkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderJourney_pkey" PRIMARY KEY ("shop","orderId")
);

-- The refresh job reads only the pending ones.
CREATE INDEX "OrderJourney_pending_idx" ON "OrderJourney"("shop", "orderId") WHERE "state" = 'pending';

ALTER TABLE "OrderLine" ADD COLUMN "productType" TEXT;
