-- The annual discount rate a prediction run valued the next 12 months at (the shop's setting then); runs before the
-- setting used 10 %.
ALTER TABLE "PredictionRun" ADD COLUMN "annualDiscountRate" DOUBLE PRECISION;
UPDATE "PredictionRun" SET "annualDiscountRate" = 0.1;
ALTER TABLE "PredictionRun" ALTER COLUMN "annualDiscountRate" SET NOT NULL;
