// Loaded with `node --import` by the demo, the benchmarks and the test stack, never by the app itself: the one way the
// emulated admin gets into an app process, development and production build alike. It takes the emulator's URL from
// SHOPIFY_ADMIN_EMULATOR_URL and removes the variable, so the app's own configuration never carries it (a production
// start refuses it): the emulator is registered in-process and Shopify's origins are routed to it.
import { registerEmulatedAdmin } from "../../app/platform/emulated-admin.server";
import { routeShopifyToEmulator } from "./shopify-origin-routing";

const target = process.env.SHOPIFY_ADMIN_EMULATOR_URL;
if (!target) throw new Error("SHOPIFY_ADMIN_EMULATOR_URL must name the emulator when this preload is used");
delete process.env.SHOPIFY_ADMIN_EMULATOR_URL;
registerEmulatedAdmin(target);
routeShopifyToEmulator(target, { productionBuild: true });
