/**
 * The local Shopify admin emulator that frames the app under the demo, the benchmarks and the tests. Only the
 * emulator preload (test/emulator/preload.ts, loaded with `node --import` before the app's code) registers one; no
 * environment variable or file a deploy could set turns it on in a production build.
 *
 * A global, not module state: the preload runs as plain Node while the app's modules are loaded by Vite (development)
 * or bundled into build/ (production), each with its own copy of this module.
 */
export interface EmulatedAdmin {
  /** The emulator's origin: it frames the app (CSP frame-ancestors). */
  origin: string;
  /** Its App Bridge stand-in, loaded instead of Shopify's CDN script. */
  appBridgeUrl: string;
}

declare global {
  var __rfmEmulatedAdmin: EmulatedAdmin | undefined;
}

/** For the emulator preload only. */
export function registerEmulatedAdmin(emulatorUrl: string): EmulatedAdmin {
  const url = new URL(emulatorUrl);
  globalThis.__rfmEmulatedAdmin = { origin: url.origin, appBridgeUrl: new URL("/app-bridge.js", url).toString() };
  return globalThis.__rfmEmulatedAdmin;
}

/** The emulated admin this process was started under, if any. */
export function emulatedAdmin(): EmulatedAdmin | null {
  return globalThis.__rfmEmulatedAdmin ?? null;
}
