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
  // Like the real App Bridge, the nav menu and title bar render in the admin, not in the app's frame.
  function tellAdmin() {
    var menu = document.querySelector("ui-nav-menu");
    var links = menu ? Array.prototype.map.call(menu.querySelectorAll("a"), function (a) { return { href: a.getAttribute("href"), label: a.textContent, home: a.getAttribute("rel") === "home" }; }) : [];
    var title = document.querySelector("ui-title-bar");
    parent.postMessage({ source: "emulated-app-bridge", nav: links, title: title ? title.getAttribute("title") : null }, "*");
  }
  // A constructed stylesheet hides them without touching the DOM React hydrates.
  var hidden = new CSSStyleSheet();
  hidden.replaceSync("ui-nav-menu, ui-title-bar, ui-save-bar, ui-modal { display: none !important; }");
  document.adoptedStyleSheets = document.adoptedStyleSheets.concat([hidden]);
  // The save bar, like the real one, shows in the admin's top bar; its buttons click the app's own.
  function saveBarState(bar) {
    return { id: bar.id, buttons: Array.prototype.map.call(bar.querySelectorAll("button"), function (b) { return { label: b.textContent, primary: b.getAttribute("variant") === "primary", disabled: b.disabled }; }) };
  }
  var shownBars = {};
  function tellSaveBar(bar, showing) {
    parent.postMessage({ source: "emulated-app-bridge", saveBar: Object.assign(saveBarState(bar), { showing: showing }) }, "*");
  }
  if (!customElements.get("ui-save-bar")) {
    customElements.define("ui-save-bar", class extends HTMLElement {
      connectedCallback() {
        var bar = this;
        this._observer = new MutationObserver(function () { if (bar.showing) tellSaveBar(bar, true); });
        this._observer.observe(this, { subtree: true, childList: true, attributes: true, characterData: true });
      }
      disconnectedCallback() { if (this._observer) this._observer.disconnect(); if (this.showing) this.hide(); }
      get showing() { return Boolean(shownBars[this.id]); }
      show() { shownBars[this.id] = true; tellSaveBar(this, true); this.dispatchEvent(new Event("show")); return Promise.resolve(); }
      hide() { var was = shownBars[this.id]; delete shownBars[this.id]; tellSaveBar(this, false); if (was) this.dispatchEvent(new Event("hide")); return Promise.resolve(); }
      toggle() { return this.showing ? this.hide() : this.show(); }
    });
  }
  ["ui-nav-menu", "ui-title-bar", "ui-modal"].forEach(function (name) {
    if (customElements.get(name)) return;
    customElements.define(name, class extends HTMLElement {
      // The parser may connect the element before its links: the real App Bridge follows the menu's changes too.
      connectedCallback() { queueMicrotask(tellAdmin); this._observer = new MutationObserver(function () { queueMicrotask(tellAdmin); }); this._observer.observe(this, { subtree: true, childList: true, characterData: true }); }
      disconnectedCallback() { if (this._observer) this._observer.disconnect(); }
      static get observedAttributes() { return ["title"]; }
      attributeChangedCallback() { queueMicrotask(tellAdmin); }
    });
  });
  window.addEventListener("message", function (event) {
    if (!event.data || event.data.source !== "emulated-admin") return;
    if (event.data.saveBarClick) {
      var bar = document.getElementById(event.data.saveBarClick.id);
      var button = bar && bar.querySelectorAll("button")[event.data.saveBarClick.index];
      if (button && !button.disabled) button.click();
      return;
    }
    if (!event.data.navigate) return;
    var link = document.querySelector('ui-nav-menu a[href="' + event.data.navigate + '"]');
    if (link) link.dispatchEvent(new Event("shopify:navigate", { bubbles: true }));
  });
  var toasts = [];
  window.shopify = {
    config: { apiKey: apiKey, shop: shop, locale: params.get("locale") || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: function (message) { toasts.push(message); document.dispatchEvent(new CustomEvent("emulator:toast", { detail: message })); return String(toasts.length); }, hide: function () {} },
    loading: function () {},
    saveBar: {
      show: function (id) { var bar = document.getElementById(id); return bar ? bar.show() : Promise.resolve(); },
      hide: function (id) { var bar = document.getElementById(id); return bar ? bar.hide() : Promise.resolve(); },
      toggle: function (id) { var bar = document.getElementById(id); return bar ? bar.toggle() : Promise.resolve(); },
    },
    __emulated: true,
  };
})();
`;

export function adminPageHtml(opts: { shopName: string; shop: string; appName: string; iframeSrc: string }): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${esc(opts.appName)} · ${esc(opts.shopName)} · Shopify admin (emulated)</title>
<style>
  html,body{margin:0;height:100%;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:#f1f1f1}
  header{height:48px;display:flex;align-items:center;gap:12px;padding:0 16px;background:#1a1a1a;color:#e3e3e3;font-size:13px}
  header strong{color:#fff}
  #save-bar{position:absolute;top:0;left:0;right:0;height:48px;z-index:2;display:flex;align-items:center;gap:8px;padding:0 16px;background:#1a1a1a;color:#fff;font-size:13px}
  #save-bar[hidden]{display:none}
  #save-bar span{flex:1}
  #save-bar button{border:0;border-radius:8px;padding:6px 12px;font-size:13px;background:#404040;color:#fff;cursor:pointer}
  #save-bar button.primary{background:#fff;color:#1a1a1a}
  nav{position:absolute;top:48px;bottom:0;left:0;width:200px;padding:12px 8px;box-sizing:border-box;background:#ebebeb;font-size:13px}
  nav a{display:block;padding:6px 8px;border-radius:8px;color:#303030;text-decoration:none}
  nav a:hover{background:#fafafa}
  nav .app{font-weight:600}
  main{position:absolute;top:48px;bottom:0;left:200px;right:0}
  iframe{border:0;width:100%;height:100%;background:#f1f1f1}
</style></head>
<body><div id="save-bar" role="region" aria-label="Save bar" hidden></div><header><strong>Shopify admin</strong><span>(local emulator)</span><span>·</span><span>${esc(opts.shopName)}</span><span>·</span><span>${esc(opts.appName)}</span></header>
<nav aria-label="App navigation"><div class="app">${esc(opts.appName)}</div><div id="app-nav"></div></nav>
<main><iframe name="app-iframe" title="${esc(opts.appName)}" src="${esc(opts.iframeSrc)}"></iframe></main>
<script>
  var frame = document.querySelector("iframe");
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || !event.data || event.data.source !== "emulated-app-bridge") return;
    if (event.data.saveBar) {
      var bar = document.getElementById("save-bar");
      bar.textContent = "";
      bar.hidden = !event.data.saveBar.showing;
      var note = document.createElement("span");
      note.textContent = "Unsaved changes";
      bar.appendChild(note);
      event.data.saveBar.buttons.slice().reverse().forEach(function (b, i, all) {
        var button = document.createElement("button");
        button.textContent = b.label;
        button.disabled = b.disabled;
        button.className = b.primary ? "primary" : "";
        button.addEventListener("click", function () { frame.contentWindow.postMessage({ source: "emulated-admin", saveBarClick: { id: event.data.saveBar.id, index: all.length - 1 - i } }, "*"); });
        bar.appendChild(button);
      });
      return;
    }
    if (!event.data.nav) return;
    var nav = document.getElementById("app-nav");
    nav.textContent = "";
    event.data.nav.filter(function (l) { return !l.home; }).forEach(function (l) {
      var a = document.createElement("a");
      a.href = "#"; a.textContent = l.label;
      a.addEventListener("click", function (e) { e.preventDefault(); frame.contentWindow.postMessage({ source: "emulated-admin", navigate: l.href }, "*"); });
      nav.appendChild(a);
    });
    if (event.data.title) document.title = event.data.title + " · ${esc(opts.shopName)}";
  });
</script></body></html>`;
}
