-- One first-order group's figures over rows with repeated, loyal, lost and net: customers, repeaters, now loyal, now
-- lost, median net spend to date.
count(*)::int AS customers, (count(*) FILTER (WHERE repeated))::int AS repeaters,
(count(*) FILTER (WHERE loyal))::int AS loyal, (count(*) FILTER (WHERE lost))::int AS lost,
/*@include pipeline/insights/median-net.fragment.sql*/ AS median_net
