import type { SerializeFrom } from "@remix-run/node";
import type { dashboardPageData } from "./dashboard-page.server";

/** The home page's loader data as the components receive it. */
export type DashboardPageData = SerializeFrom<typeof dashboardPageData>;
export type DashboardData = DashboardPageData["dashboard"];
