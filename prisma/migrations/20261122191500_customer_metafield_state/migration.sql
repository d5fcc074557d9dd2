-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "metafieldDefinitionsAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "CustomerMetafieldState" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "values" TEXT NOT NULL,
    "writtenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerMetafieldState_pkey" PRIMARY KEY ("shop","customerId")
);

