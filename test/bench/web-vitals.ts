// Core Web Vitals of the embedded pages in a real Chromium (Debian's, through playwright-core), the way Built for
// Shopify reads them from the app's frame: LCP and CLS of the page load (PerformanceObserver: largest-contentful-paint,
// layout-shift), INP from the event timing entries of one real click after the load.
import type { Browser, Frame, Page } from "playwright-core";
import { z } from "zod";
import { BROWSER_UA } from "../support/merchant";

/** Built for Shopify's limits (75th percentile of real merchants; one load each here). */
export const VITALS_BUDGET = { lcpMs: 2500, cls: 0.1, inpMs: 200 } as const;

export interface VitalsPage {
  key: string;
  /** The app path under /app ("" = the dashboard), opened through the emulated admin like a merchant would. */
  subpath: string;
  /** Shown once the page's data is on screen. */
  ready: string;
  /** What the merchant clicks for INP, first match wins. */
  click: string[];
}

export interface Vitals {
  key: string;
  lcpMs: number;
  cls: number;
  inpMs: number;
  /** What was clicked for INP. */
  clicked: string;
}

// Runs in every frame before its scripts: the app's frame collects its own entries.
const OBSERVE = `(() => {
  const v = { lcp: 0, cls: 0, inp: 0, firstInput: 0 };
  window.__vitals = v;
  const watch = (type, fn, extra) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true, ...extra }); }
    catch {}
  };
  watch("largest-contentful-paint", (e) => { v.lcp = e.renderTime || e.loadTime || e.startTime; });
  watch("layout-shift", (e) => { if (!e.hadRecentInput) v.cls += e.value; });
  // INP: the slowest interaction; the first input is reported whatever its duration (event entries from 16 ms).
  watch("event", (e) => { if (e.interactionId) v.inp = Math.max(v.inp, e.duration); }, { durationThreshold: 16 });
  watch("first-input", (e) => { v.firstInput = Math.max(v.firstInput, e.duration); });
})();`;

const Collected = z.object({ lcp: z.number(), cls: z.number(), inp: z.number(), firstInput: z.number() });

async function appFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 600; i++) {
    const frame = page.frame({ name: "app-iframe" });
    if (frame && frame.url().includes("/app")) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error("the admin did not frame the app");
}

async function measure(page: Page, adminUrl: string, spec: VitalsPage): Promise<Vitals> {
  await page.goto(`${adminUrl}${spec.subpath}`);
  const frame = await appFrame(page);
  await frame.waitForLoadState("load");
  await frame.locator(spec.ready).first().waitFor({ timeout: 60_000 });
  // Late shifts and the final LCP candidate (fonts, charts) before the click ends LCP.
  await page.waitForTimeout(1_000);
  let clicked = "";
  for (const selector of spec.click) {
    const target = frame.locator(selector).first();
    if ((await target.count()) > 0 && (await target.isVisible())) {
      await target.click({ timeout: 10_000 });
      clicked = selector;
      break;
    }
  }
  if (!clicked) throw new Error(`${spec.key}: nothing to click (${spec.click.join(", ")})`);
  await page.waitForTimeout(1_000);
  const v = Collected.parse(await frame.evaluate("window.__vitals"));
  return { key: spec.key, lcpMs: v.lcp, cls: v.cls, inpMs: Math.max(v.inp, v.firstInput), clicked };
}

/** One cold load of the first page (empty cache), then each page once with the cache warm. */
export async function measureWebVitals(
  browser: Browser,
  adminUrl: string,
  pages: VitalsPage[],
): Promise<{ coldLcpMs: number; pages: Vitals[] }> {
  // Shopify's library refuses headless user agents as bots (410); present a normal one.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: BROWSER_UA });
  try {
    await context.addInitScript(OBSERVE);
    // The network here is closed: anything for Shopify's CDN fails at once instead of holding the load.
    await context.route("https://cdn.shopify.com/**", (route) => route.abort());
    const page = await context.newPage();
    const first = pages[0];
    if (!first) throw new Error("no pages to measure");
    const cold = await measure(page, adminUrl, first);
    const measured: Vitals[] = [];
    for (const spec of pages) measured.push(await measure(page, adminUrl, spec));
    return { coldLcpMs: cold.lcpMs, pages: measured };
  } finally {
    await context.close();
  }
}
