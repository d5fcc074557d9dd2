-- "Remove everything the app wrote": one row per request, queued, then filled with what was removed.
CREATE TABLE "AppDataRemoval" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "tagsRemoved" INTEGER,
    "tagCustomers" INTEGER,
    "metafieldsRemoved" INTEGER,
    "segmentsRemoved" INTEGER,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,

    CONSTRAINT "AppDataRemoval_pkey" PRIMARY KEY ("shop","id")
);

-- The merchant's own saves, told apart from the app's (the adopted segment language): the first F mode is chosen
-- unless the merchant saved settings. Shops that already have settings keep them as the merchant's.
ALTER TABLE "ShopSettings" ADD COLUMN "merchantSavedAt" TIMESTAMPTZ(3);
UPDATE "ShopSettings" SET "merchantSavedAt" = "updatedAt" WHERE rfm IS NOT NULL;
