import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { ROOT } from "../demo/stack";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = path.join(ROOT, "test-results", "screenshots");

/** Debian's Chromium, headless, with no background traffic (the network here is closed). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run \`npm test\` (its pretest installs Debian's chromium) or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Collects console errors and uncaught page errors, from the page and its frames. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    // Remix's lazy route discovery logs this when a document navigation cuts its manifest prefetch short (the
    // browser rejects an in-flight fetch of a page being left with "Failed to fetch"); nothing failed for the
    // merchant. Seen under load only; every other console error still fails the test.
    if (/^Failed to fetch manifest patches TypeError: Failed to fetch\b/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** A full-page screenshot of the embedded app at 1 280 px: the viewport grows to the frame's height, then back. */
export async function screenshotApp(page: Page, name: string): Promise<void> {
  const height =
    (await page.frame({ name: "app-iframe" })?.evaluate(() => document.documentElement.scrollHeight)) ?? 900;
  await page.setViewportSize({ width: 1280, height: Math.min(Math.max(900, height + 48), 8000) });
  // caret "initial": Playwright's default hides the caret with an inline style on the inputs, and a screenshot taken
  // before React hydrates them becomes a hydration mismatch the page did not cause.
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, caret: "initial" });
  await page.setViewportSize({ width: 1280, height: 900 });
}
