-- No reader pages off (shop, predictedValue12m, customerId): the segment and behaviour lists sort an expression over a
-- join from CustomerScore, the value tiers group the whole shop. Each prediction run built it over every customer.
DROP INDEX "CustomerPrediction_shop_predictedValue12m_customerId_idx";
