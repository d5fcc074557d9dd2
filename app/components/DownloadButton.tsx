import { useState } from "react";
import { Button } from "@shopify/polaris";

/**
 * Saves the attachment an app route answers with. A plain link would not carry the session token; App Bridge's
 * fetch does, so the file is fetched and handed to the browser as a blob.
 */
export function DownloadButton({
  url,
  fallbackName,
  label,
  busyLabel,
  id,
  size,
  variant,
}: {
  url: string;
  /** The file name when the answer's Content-Disposition names none. */
  fallbackName: string;
  label: string;
  busyLabel: string;
  id?: string;
  size?: "slim";
  /** "primary" when it is the page's primary action. */
  variant?: "primary";
}) {
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`Download failed (${response.status})`);
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? fallbackName;
      const objectUrl = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = objectUrl;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={download} loading={busy} id={id} size={size} variant={variant}>
      {busy ? busyLabel : label}
    </Button>
  );
}
