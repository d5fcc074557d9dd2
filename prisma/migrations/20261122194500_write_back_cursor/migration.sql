-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "writeBackAt" TIMESTAMPTZ(3),
ADD COLUMN     "writeBackFullAt" TIMESTAMPTZ(3);

