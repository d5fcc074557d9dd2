import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";

/**
 * While `active`, loads the page's data again every `ms` (a job runs: progress, then its outcome). A
 * navigation away cuts a reload in flight short; that abort is expected, not an error.
 */
export function useReloadWhile(active: boolean, ms = 2_000): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state !== "idle") return;
      Promise.resolve(revalidator.revalidate()).catch((error: unknown) => {
        if (!(error instanceof DOMException && error.name === "AbortError")) throw error;
      });
    }, ms);
    return () => clearInterval(timer);
  }, [active, ms, revalidator]);
}
