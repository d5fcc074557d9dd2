import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookAction } from "../webhooks/route.server";
import { customersRedact } from "../webhooks/app-and-compliance.server";

export const action = ({ request }: ActionFunctionArgs) => webhookAction(request, customersRedact);
