-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "customerDataAccess" TEXT,
ADD COLUMN     "customerDataRedacted" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "customerDataCheckedAt" TIMESTAMPTZ(3);
