import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookAction } from "../webhooks/route.server";
import { customersDataRequest } from "../webhooks/app-and-compliance.server";

export const action = ({ request }: ActionFunctionArgs) => webhookAction(request, customersDataRequest);
