import type { Browser, FrameLocator, Page } from "playwright-core";
import { startDemoStack, type DemoStack } from "./stack";
import { collectErrors, launchBrowser } from "../support/browser";
import { BROWSER_UA } from "../support/merchant";

/** What a browser test of the demo stack drives: the stack, Chromium, one page and the app's iframe in it. */
export interface BrowserStack {
  stack: DemoStack;
  browser: Browser;
  page: Page;
  app: FrameLocator;
  /** The page's console errors and failed requests so far (collectErrors). */
  errors: string[];
  /** The Shopify CDN requests the page tried (each refused: the emulated admin serves App Bridge). */
  cdn: string[];
  close(): Promise<void>;
}

/** The demo stack with this generated shop, and a desktop-sized Chromium page on it (downloads allowed). */
export async function startBrowserStack(dataset: { customers: number; orders: number }): Promise<BrowserStack> {
  const [stack, browser] = await Promise.all([
    startDemoStack({ databaseUrl: process.env.DATABASE_URL as string, dataset }),
    launchBrowser(),
  ]);
  // Shopify's library refuses headless user agents as bots (410); present a normal one.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    userAgent: BROWSER_UA,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const cdn: string[] = [];
  await page.route("https://cdn.shopify.com/**", (route) => {
    cdn.push(route.request().url());
    return route.abort();
  });
  const app = page.frameLocator("iframe[name=app-iframe]");
  return {
    stack,
    browser,
    page,
    app,
    errors,
    cdn,
    async close() {
      await browser.close();
      await stack.stop();
    },
  };
}
