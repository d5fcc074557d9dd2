-- "Which orders count" for RFM, over "Order" o: has a customer, not a test, not cancelled, not deleted.
-- Pasted into the aggregate statements by the SQL generator (/*@include ...*/); the scoring side holds its own copy.
o."customerId" IS NOT NULL AND NOT o.test AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL
