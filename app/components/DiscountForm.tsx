import { useEffect, useState } from "react";
import { useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Link, Select, Text, TextField } from "@shopify/polaris";
import { fill, useI18n } from "../i18n/use-i18n";
import type { Messages } from "../i18n/messages";
import type { DiscountBlocker, DiscountField, DiscountResult } from "../pages/segment/discount-form.server";

const EMPTY = { title: "", code: "", kind: "percentage", value: "10", endsOn: "" };

/** "€" before or after the amount, as the shop's money format writes it ("€ 10,00", "10,00 €"). */
export function currencyAffix(formattedZero: string): { prefix?: string; suffix?: string } {
  const lead = /^[^\d\s]+/.exec(formattedZero.trim())?.[0];
  if (lead && lead !== "-") return { prefix: lead };
  const trail = /[^\d\s.,]+$/.exec(formattedZero.trim())?.[0];
  return trail ? { suffix: trail } : {};
}

/** The field's message in the merchant's language. */
export function discountFieldError(
  result: Pick<DiscountResult, "fieldErrors"> | null | undefined,
  field: DiscountField,
  t: Messages,
): string | undefined {
  const problem = result?.fieldErrors[field];
  return problem ? t.discount.problems[problem] : undefined;
}

/**
 * A segment-only discount code; with one segment given, the segment picker is left out. The app's own checks
 * show on their fields; only Shopify's refusals are shown as Shopify's. `blocked`: the segment has no Shopify
 * segment yet, so the button is off and says why.
 */
export function DiscountForm({
  segments,
  result,
  blocked = null,
}: {
  segments: { key: string; name: string }[];
  result?: DiscountResult | null;
  blocked?: DiscountBlocker | null;
}) {
  const { t, fmt } = useI18n();
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "discount";
  const [form, setForm] = useState({ segmentKey: segments[0]?.key ?? "", ...EMPTY });
  // A created code empties the form for the next one (the segment choice stays).
  useEffect(() => {
    if (result?.created) setForm((f) => ({ ...f, ...EMPTY }));
  }, [result]);
  const field = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  const errorOf = (name: DiscountField) => discountFieldError(result, name, t);
  const money = currencyAffix(fmt.money(0));
  const currency = money.prefix ?? money.suffix ?? "";
  const segmentError = errorOf("segmentKey");
  return (
    <BlockStack gap="300">
      {result?.created && (
        <Banner tone="success">
          <BlockStack gap="100">
            <p id="action-ok">{fill(t.discount.created, { code: result.created.code })}</p>
            <Link url={result.created.adminUrl} target="_blank" id="discount-admin-link">
              {t.discount.openDiscount}
            </Link>
          </BlockStack>
        </Banner>
      )}
      {result && result.shopifyErrors.length > 0 && (
        <Banner tone="critical" title={t.discount.refusedByShopify}>
          <ul id="action-errors">
            {result.shopifyErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </Banner>
      )}
      {segments.length > 1 ? (
        <Select
          label={t.discount.segment}
          options={segments.map((s) => ({ label: s.name, value: s.key }))}
          value={form.segmentKey}
          onChange={field("segmentKey")}
          error={segmentError}
          id="discount-segment"
        />
      ) : (
        segmentError && (
          <Banner tone="warning">
            <p id="discount-segment-error">{segmentError}</p>
          </Banner>
        )
      )}
      <TextField
        label={t.discount.name}
        autoComplete="off"
        value={form.title}
        onChange={field("title")}
        error={errorOf("title")}
        id="discount-title"
      />
      <TextField
        label={t.discount.code}
        autoComplete="off"
        value={form.code}
        onChange={field("code")}
        error={errorOf("code")}
        id="discount-code"
      />
      <Select
        label={t.discount.kind}
        options={[
          { label: t.discount.percentage, value: "percentage" },
          { label: t.discount.fixed, value: "fixed_amount" },
        ]}
        value={form.kind}
        onChange={field("kind")}
        error={errorOf("kind")}
        id="discount-kind"
      />
      <TextField
        label={t.discount.value}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={form.value}
        onChange={field("value")}
        error={errorOf("value")}
        {...(form.kind === "percentage" ? { suffix: "%" } : money)}
        helpText={
          form.kind === "percentage" ? t.discount.valueHelpPercent : fill(t.discount.valueHelpFixed, { currency })
        }
        id="discount-value"
      />
      <TextField
        label={t.discount.endsOn}
        type="date"
        autoComplete="off"
        value={form.endsOn}
        onChange={field("endsOn")}
        error={errorOf("endsOn")}
        id="discount-ends"
      />
      <BlockStack gap="100">
        <InlineStack>
          <Button
            variant="primary"
            loading={busy}
            disabled={segments.length === 0 || blocked !== null}
            onClick={() => submit({ intent: "discount", ...form }, { method: "post" })}
            id="discount-create"
          >
            {t.discount.create}
          </Button>
        </InlineStack>
        {blocked && (
          <Text as="p" tone="subdued" id="discount-blocked">
            {t.discount.blocked[blocked]}
          </Text>
        )}
      </BlockStack>
    </BlockStack>
  );
}
