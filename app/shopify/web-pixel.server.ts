import { payloadOf } from "./admin-errors.server";
import type { AdminClient } from "./admin-client.server";
import { WEB_PIXEL, WEB_PIXEL_CREATE, WEB_PIXEL_UPDATE } from "./operations/web-pixel";

export async function webPixelCreate(admin: AdminClient, settings: string) {
  const data = await admin.request(WEB_PIXEL_CREATE, { webPixel: { settings } });
  return payloadOf("webPixelCreate", data.webPixelCreate);
}

export async function webPixelUpdate(admin: AdminClient, id: string, settings: string) {
  const data = await admin.request(WEB_PIXEL_UPDATE, { id, webPixel: { settings } });
  return payloadOf("webPixelUpdate", data.webPixelUpdate);
}

/** This app's pixel on the shop, if Shopify holds one. */
export async function appWebPixel(admin: AdminClient) {
  return (await admin.request(WEB_PIXEL)).webPixel ?? null;
}
