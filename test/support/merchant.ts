import type { DemoStack } from "../demo/stack";

export const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

/** The URL the emulated admin frames the app with (shop, host, id_token…). */
export async function embeddedAppUrl(adminUrl: string): Promise<string> {
  const html = await (await fetch(adminUrl)).text();
  const src = /<iframe[^>]*src="([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error(`no app iframe in the admin page:\n${html}`);
  return src.replace(/&#38;/g, "&");
}

/** Opens the app as the Shopify admin would for a merchant: a document request with a fresh session token. */
export async function openApp(stack: DemoStack, domain?: string): Promise<{ status: number; html: string }> {
  const adminUrl = domain ? stack.emulator.adminUrl(domain) : stack.adminUrl;
  const response = await fetch(await embeddedAppUrl(adminUrl), { headers: { "User-Agent": BROWSER_UA } });
  return { status: response.status, html: await response.text() };
}
