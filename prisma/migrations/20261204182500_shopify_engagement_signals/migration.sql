-- Engagement Shopify itself knows (Shopify Email clicks, storefront product views), learnt daily through
-- customerSegmentMembers: one bit per windowed signal (app/domain/engagement.ts ENGAGEMENT_SIGNALS). Rows of an
-- older sync are deleted when a sync completes.
CREATE TABLE "CustomerEngagementSignal" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "signals" INTEGER NOT NULL,
    "syncId" BIGINT NOT NULL,

    CONSTRAINT "CustomerEngagementSignal_pkey" PRIMARY KEY ("shop","customerId")
);

-- Per shop: which event filters segmentFilters listed at the last check, and the last complete sync.
CREATE TABLE "EngagementSync" (
    "shop" TEXT NOT NULL,
    "emailEvents" BOOLEAN NOT NULL,
    "storefrontEvents" BOOLEAN NOT NULL,
    "checkedAt" TIMESTAMPTZ(3) NOT NULL,
    "syncId" BIGINT,
    "syncedAt" TIMESTAMPTZ(3),
    "members" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "EngagementSync_pkey" PRIMARY KEY ("shop")
);
