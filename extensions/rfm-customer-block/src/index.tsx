/** @jsxImportSource preact */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/admin.customer-details.block.render";
import { CustomerBlock, blockI18n } from "./CustomerBlock";
import { loadCustomerBlock, type BlockState } from "./load";

// The admin provides the target's API as a global, read when rendering; typed here rather than declared globally (the app's App Bridge types own `shopify`).
const shopifyApi = () => (globalThis as unknown as { shopify: Api }).shopify;

export default async () => {
  render(<Extension />, document.body);
};

function Extension() {
  const api = shopifyApi();
  const customerGid = api.data.selected[0]?.id;
  // The locale files' own "locale" key: the admin language the extension resolved to.
  const locale = api.i18n.translate("locale");
  const [state, setState] = useState<BlockState>({ status: "loading" });
  useEffect(() => {
    let live = true;
    void loadCustomerBlock(fetch, customerGid, locale).then((next) => live && setState(next));
    return () => {
      live = false;
    };
  }, [customerGid, locale]);
  return <CustomerBlock state={state} i18n={blockI18n(api.i18n)} />;
}
