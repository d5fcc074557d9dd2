import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookAction } from "../shopify/webhook-route.server";
import { appUninstalled } from "../pipeline/ingest/app-and-compliance-webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => webhookAction(request, appUninstalled);
