-- The exact median of the group's "net" (numeric): the two middle values (one when the count is odd), halved, rounded
-- half up to cents, as float8. One sort per group (both array_agg calls are the same aggregate, computed once).
round(((array_agg(net ORDER BY net))[(count(*) + 1) / 2] + (array_agg(net ORDER BY net))[count(*) / 2 + 1]) / 2, 2)::float8
