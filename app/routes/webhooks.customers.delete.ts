import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookAction } from "../webhooks/route.server";
import { customersDelete } from "../webhooks/orders-and-customers.server";

export const action = ({ request }: ActionFunctionArgs) => webhookAction(request, customersDelete);
