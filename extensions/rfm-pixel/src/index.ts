import { register } from "@shopify/web-pixels-extension";
import { decide, readSettings, throttled, VIEW_SENT_KEY, type Consent } from "./decide";

register(({ analytics, browser, init, settings, customerPrivacy }) => {
  const config = readSettings(settings);
  // Consent can change after load (the banner): the latest answer decides every event.
  let consent: Consent = init.customerPrivacy;
  customerPrivacy.subscribe("visitorConsentCollected", (event) => {
    consent = event.customerPrivacy;
  });

  analytics.subscribe("page_viewed", async (event) => {
    const send = decide({
      settings: config,
      consent,
      customerId: init.data.customer?.id,
      shop: init.data.shop.myshopifyDomain,
      search: event.context.document.location.search,
    });
    if (!send) return;
    const now = Date.now();
    if (send.event.kind === "view") {
      const last = Number(await browser.sessionStorage.getItem(VIEW_SENT_KEY));
      if (throttled("view", Number.isFinite(last) && last > 0 ? last : null, now)) return;
      await browser.sessionStorage.setItem(VIEW_SENT_KEY, String(now));
    }
    // text/plain keeps it a "simple" CORS request: no preflight per page view.
    await fetch(send.url, {
      method: "POST",
      body: JSON.stringify(send.event),
      headers: { "Content-Type": "text/plain" },
      keepalive: true,
      credentials: "omit",
    }).catch(() => undefined);
  });
});
