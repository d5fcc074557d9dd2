-- CreateTable
CREATE TABLE "CustomerTagState" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "tags" TEXT[],
    "writtenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerTagState_pkey" PRIMARY KEY ("shop","customerId")
);

