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
