-- Each customer's distinct local order days and first-day net value, kept with the aggregates so the prediction run
-- reads its (x, t_x, T, mean repeat value) summary without grouping every repeat order by day. NULL until the
-- customer's next recompute (the prediction run reads those customers' orders instead).
ALTER TABLE "CustomerAggregate" ADD COLUMN "orderDays" INTEGER,
  ADD COLUMN "firstDayNet" DECIMAL(18,4),
  ADD COLUMN "orderDaysZone" TEXT;
