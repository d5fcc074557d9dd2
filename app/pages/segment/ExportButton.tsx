import { DownloadButton } from "../../components/DownloadButton";
import { useI18n } from "../../i18n/use-i18n";

/** Saves the CSV the export route streams: the segment page's primary action. */
export function ExportButton({ segmentKey }: { segmentKey: string }) {
  const { t } = useI18n();
  return (
    <DownloadButton
      url={`/app/export/${segmentKey}`}
      fallbackName={`rfm-${segmentKey}.csv`}
      label={t.segment.exportCsv}
      busyLabel={t.segment.exporting}
      id="export-csv"
      variant="primary"
    />
  );
}
