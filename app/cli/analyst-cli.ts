import { OrdersCsvError } from "../domain/rfm/orders-csv";

/** A wrong or missing option: the message is the help, exit code 2. */
export class UsageError extends Error {}

/**
 * The analyst commands (`npm run rfm`, `npm run clv`) end alike: a usage or CSV error prints its message alone
 * (line-numbered for CSV), anything else its stack; exit 2 for usage, 1 otherwise.
 */
export function runAnalystCli(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message =
      error instanceof UsageError || error instanceof OrdersCsvError
        ? error.message
        : error instanceof Error
          ? error.stack
          : String(error);
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
