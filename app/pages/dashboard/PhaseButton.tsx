import { Form, useNavigation } from "@remix-run/react";
import { Button } from "@shopify/polaris";

/** Posts one of the dashboard's retry intents (score, write-back); spins while that one is submitting. */
export function PhaseButton({
  intent,
  label,
  disabled,
  extra,
}: {
  intent: string;
  label: string;
  disabled?: boolean;
  extra?: Record<string, string>;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(extra ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <Button submit size="slim" disabled={disabled} loading={busy}>
        {label}
      </Button>
    </Form>
  );
}
