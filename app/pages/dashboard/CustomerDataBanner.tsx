import { Banner, Layout } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";

type Field = "name" | "email" | "phone" | "address";
const FIELDS: Field[] = ["name", "email", "phone", "address"];

/** What Shopify withholds from the app (protected customer data), and how access is requested. */
export function CustomerDataBanner({ access, redacted }: { access: string | null; redacted: string[] }) {
  const { t } = useI18n();
  if (access === "denied")
    return (
      <Layout.Section>
        <div id="customer-data-denied">
          <Banner tone="critical">{t.home.customerDataDenied}</Banner>
        </div>
      </Layout.Section>
    );
  const fields = FIELDS.filter((f) => redacted.includes(f));
  if (access !== "redacted" || fields.length === 0) return null;
  return (
    <Layout.Section>
      <div id="customer-data-redacted">
        <Banner tone="warning">
          {fill(t.home.customerDataRedacted, { fields: fields.map((f) => t.home.customerDataFields[f]).join(", ") })}
        </Banner>
      </div>
    </Layout.Section>
  );
}
