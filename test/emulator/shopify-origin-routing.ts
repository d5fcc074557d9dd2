import { Agent, Dispatcher, setGlobalDispatcher } from "undici";

/**
 * Sends every request for https://<shop>.myshopify.com to the local Admin API
 * emulator, keeping the shop in the Host header. The app's code and URLs are
 * untouched: only where the shop's HTTPS origin resolves differs.
 */
export class ShopifyToEmulatorDispatcher extends Dispatcher {
  private readonly inner = new Agent();

  constructor(private readonly emulatorOrigin: string) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const origin = options.origin ? new URL(String(options.origin)) : undefined;
    if (origin && origin.protocol === "https:" && origin.hostname.endsWith(".myshopify.com")) {
      return this.inner.dispatch(
        { ...options, origin: this.emulatorOrigin, headers: withHost(options.headers, origin.hostname) },
        handler,
      );
    }
    return this.inner.dispatch(options, handler);
  }

  override close(): Promise<void> {
    return this.inner.close();
  }

  override destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function withHost(headers: Dispatcher.DispatchOptions["headers"], host: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i])] = String(headers[i + 1]);
  } else if (headers && typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function") {
    for (const [k, v] of headers as Iterable<[string, string]>) out[k] = v;
  } else if (headers) {
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = String(v);
  }
  for (const key of Object.keys(out)) if (key.toLowerCase() === "host") delete out[key];
  out.host = host;
  return out;
}

/**
 * Routes this process's Shopify traffic to the emulator. Refused in production, except for the emulator preload
 * (`productionBuild`), which the demo and benchmarks load in front of the production build.
 */
export function routeShopifyToEmulator(emulatorOrigin: string, options: { productionBuild?: boolean } = {}): void {
  if (process.env.NODE_ENV === "production" && !options.productionBuild) {
    throw new Error("Refusing to route Shopify traffic to an emulator in production");
  }
  setGlobalDispatcher(new ShopifyToEmulatorDispatcher(emulatorOrigin));
}
