import { useState } from "react";
import { useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Select, TextField } from "@shopify/polaris";
import { fill, useI18n } from "../i18n/use-i18n";

/** A segment-only discount code; with one segment given, the segment picker is left out. */
export function DiscountForm({
  segments,
  result,
}: {
  segments: { key: string; name: string }[];
  result?: { created: string | null; errors: string[] } | null;
}) {
  const { t } = useI18n();
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "discount";
  const [form, setForm] = useState({
    segmentKey: segments[0]?.key ?? "",
    title: "",
    code: "",
    kind: "percentage",
    value: "10",
    endsOn: "",
  });
  const field = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  return (
    <BlockStack gap="300">
      {result?.created && (
        <Banner tone="success">
          <p id="action-ok">{fill(t.discount.created, { code: result.created })}</p>
        </Banner>
      )}
      {result && result.errors.length > 0 && (
        <Banner tone="critical" title={t.discount.refused}>
          <ul id="action-errors">
            {result.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </Banner>
      )}
      {segments.length > 1 && (
        <Select
          label={t.discount.segment}
          options={segments.map((s) => ({ label: s.name, value: s.key }))}
          value={form.segmentKey}
          onChange={field("segmentKey")}
        />
      )}
      <TextField
        label={t.discount.name}
        autoComplete="off"
        value={form.title}
        onChange={field("title")}
        id="discount-title"
      />
      <TextField
        label={t.discount.code}
        autoComplete="off"
        value={form.code}
        onChange={field("code")}
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
      />
      <TextField
        label={t.discount.value}
        type="number"
        autoComplete="off"
        value={form.value}
        onChange={field("value")}
        id="discount-value"
      />
      <TextField
        label={t.discount.endsOn}
        type="date"
        autoComplete="off"
        value={form.endsOn}
        onChange={field("endsOn")}
        id="discount-ends"
      />
      <InlineStack>
        <Button
          variant="primary"
          loading={busy}
          disabled={segments.length === 0}
          onClick={() => submit({ intent: "discount", ...form }, { method: "post" })}
        >
          {t.discount.create}
        </Button>
      </InlineStack>
    </BlockStack>
  );
}
