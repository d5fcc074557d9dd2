import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookAction } from "../shopify/webhook-route.server";
import { bulkOperationsFinish } from "../pipeline/ingest/order-and-customer-webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => webhookAction(request, bulkOperationsFinish);
