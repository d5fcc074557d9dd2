-- "Browses often, never bought" as a segment (tag, Shopify segment, Flow): its members as of the last full run.
CREATE TABLE "CustomerBrowsing" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "since" DATE NOT NULL,

    CONSTRAINT "CustomerBrowsing_pkey" PRIMARY KEY ("shop","customerId")
);
