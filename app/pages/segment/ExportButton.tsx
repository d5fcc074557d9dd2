import { DownloadButton } from "../../components/DownloadButton";
import { useI18n } from "../../i18n/use-i18n";

/** Saves the CSV the export route streams: the segment page's primary action, with the list's "subscribed only". */
export function ExportButton({ segmentKey, subscribed }: { segmentKey: string; subscribed: "email" | "sms" | null }) {
  const { t } = useI18n();
  const label =
    subscribed === "email"
      ? t.segment.exportCsvEmail
      : subscribed === "sms"
        ? t.segment.exportCsvSms
        : t.segment.exportCsv;
  return (
    <DownloadButton
      url={`/app/export/${segmentKey}${subscribed ? `?subscribed=${subscribed}` : ""}`}
      fallbackName={`rfm-${segmentKey}.csv`}
      label={label}
      busyLabel={t.segment.exporting}
      id="export-csv"
      variant="primary"
    />
  );
}
