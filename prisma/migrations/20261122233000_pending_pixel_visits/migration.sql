-- CreateTable
CREATE TABLE "PendingPixelVisit" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "emailClick" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PendingPixelVisit_pkey" PRIMARY KEY ("shop","customerId","day","emailClick")
);

