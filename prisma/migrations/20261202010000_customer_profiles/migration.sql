-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "customersSyncedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "phone" TEXT,
ADD COLUMN "countryCode" TEXT,
ADD COLUMN "emailMarketingOptInLevel" TEXT,
ADD COLUMN "emailMarketingUpdatedAt" TIMESTAMPTZ(3),
ADD COLUMN "smsMarketingState" TEXT,
ADD COLUMN "smsMarketingOptInLevel" TEXT,
ADD COLUMN "smsMarketingUpdatedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN "customersBulkOperationId" TEXT,
ADD COLUMN "customersBulkStatus" TEXT,
ADD COLUMN "customersResultUrl" TEXT,
ADD COLUMN "customersExpected" INTEGER,
ADD COLUMN "customersLinesCommitted" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "customersIngested" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "customersDone" BOOLEAN NOT NULL DEFAULT false;
