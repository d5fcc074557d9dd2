import { useState } from "react";
import { Button } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";

/** Saves the CSV the export route streams; the session token rides on App Bridge's fetch. */
export function ExportButton({ segmentKey }: { segmentKey: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const response = await fetch(`/app/export/${segmentKey}`);
      if (!response.ok) throw new Error(`Export failed (${response.status})`);
      const name =
        /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? `rfm-${segmentKey}.csv`;
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={download} loading={busy} id="export-csv">
      {busy ? t.segment.exporting : t.segment.exportCsv}
    </Button>
  );
}
