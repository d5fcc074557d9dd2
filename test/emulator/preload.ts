// Loaded with `node --import` by the demo and the test stack, never by the app itself.
import { routeShopifyToEmulator } from "./shopify-origin-routing";

const target = process.env.SHOPIFY_ADMIN_EMULATOR_URL;
if (!target) throw new Error("SHOPIFY_ADMIN_EMULATOR_URL must name the emulator when this preload is used");
routeShopifyToEmulator(target);
