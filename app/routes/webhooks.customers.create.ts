import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookAction } from "../shopify/webhook-route.server";

/** Received into the inbox (the topic is this route's path); the worker applies it. */
export const action = ({ request }: ActionFunctionArgs) => webhookAction(request);
