/**
 * The emulated admin's stand-in for App Bridge (cdn.shopify.com/shopifycloud/app-bridge.js).
 * Like the real one it exposes `window.shopify.idToken()` and adds
 * `Authorization: Bearer <session token>` to the app's same-origin fetches,
 * so Remix data requests authenticate exactly as in the Shopify admin.
 */
export const APP_BRIDGE_SHIM = String.raw`(function () {
  var script = document.currentScript;
  var apiKey = script && script.getAttribute("data-api-key");
  var emulator = new URL(script.src).origin;
  var params = new URLSearchParams(location.search);
  var shop = params.get("shop") || sessionStorage.getItem("emulator:shop");
  if (shop) sessionStorage.setItem("emulator:shop", shop);
  var cached = null;
  function idToken() {
    if (cached && cached.exp > Date.now() + 5000) return Promise.resolve(cached.token);
    return fetch(emulator + "/emulator/session-token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: shop, apiKey: apiKey }),
    }).then(function (r) { return r.json(); }).then(function (body) {
      cached = { token: body.token, exp: Date.now() + 50000 };
      return body.token;
    });
  }
  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url, location.href);
    if (url.origin !== location.origin) return nativeFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return nativeFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };
  var toasts = [];
  window.shopify = {
    config: { apiKey: apiKey, shop: shop, locale: params.get("locale") || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: function (message) { toasts.push(message); document.dispatchEvent(new CustomEvent("emulator:toast", { detail: message })); return String(toasts.length); }, hide: function () {} },
    loading: function () {},
    saveBar: { show: function () { return Promise.resolve(); }, hide: function () { return Promise.resolve(); }, toggle: function () { return Promise.resolve(); } },
    __emulated: true,
  };
})();
`;

export function adminPageHtml(opts: { shopName: string; shop: string; appName: string; iframeSrc: string }): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(opts.appName)} · ${esc(opts.shopName)} · Shopify admin (emulated)</title>
<style>
  html,body{margin:0;height:100%;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:#f1f1f1}
  header{height:48px;display:flex;align-items:center;gap:12px;padding:0 16px;background:#1a1a1a;color:#e3e3e3;font-size:13px}
  header strong{color:#fff}
  main{position:absolute;top:48px;bottom:0;left:0;right:0}
  iframe{border:0;width:100%;height:100%;background:#f1f1f1}
</style></head>
<body><header><strong>Shopify admin</strong><span>(local emulator)</span><span>·</span><span>${esc(opts.shopName)}</span><span>·</span><span>${esc(opts.appName)}</span></header>
<main><iframe name="app-iframe" title="${esc(opts.appName)}" src="${esc(opts.iframeSrc)}"></iframe></main></body></html>`;
}
