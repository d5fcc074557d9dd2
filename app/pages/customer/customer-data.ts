import type { SerializeFrom } from "@remix-run/node";
import type { loadCustomerPage } from "./customer-page.server";

/** The customer page's loader data as the components receive it. */
export type CustomerPageData = SerializeFrom<typeof loadCustomerPage>;
