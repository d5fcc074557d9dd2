// What `npm run demo` runs (test/demo/demo.ts): the embedded database, the Admin API emulator with a seeded demo shop,
// and the app on its production build, wired together. The terminal gets a short progress summary and the URL to
// open; the app's own log (one JSON line per event) goes to .data/demo.log.
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { createDb, type Db } from "../../app/platform/db.server";
import { ensureDatabase } from "../../app/platform/db/ensure-database.server";
import { RESPONSE_TIMEOUT_MS } from "../emulator/deliveries";
import { BROWSER_UA } from "../support/merchant";
import { progressOf } from "./progress";
import { DEMO_SHOP, ROOT, startDemoStack, type DemoStack } from "./stack";
import { chooseVisitors, sendStorefrontVisits } from "./storefront";

const LOG_FILE = path.join(ROOT, ".data", "demo.log");
const tty = Boolean(process.stdout.isTTY);

/** Lines above, one status line below that is rewritten in place (on a terminal; elsewhere only the lines). */
function terminal() {
  let status = "";
  const clear = () => tty && status && process.stdout.write("\r\x1b[2K");
  return {
    line(text: string) {
      clear();
      process.stdout.write(`${text}\n`);
      if (tty && status) process.stdout.write(status);
    },
    status(text: string | null) {
      if (!tty || (text ?? "") === status) return;
      clear();
      status = text ?? "";
      if (status) process.stdout.write(status);
    },
  };
}

const clock = () => new Date().toTimeString().slice(0, 8);
const LogLine = z.object({ level: z.number(), msg: z.string().optional() });

/** The app's output into the log file; errors also get one line on the terminal. */
function logTo(stack: DemoStack, file: NodeJS.WritableStream, say: (line: string) => void) {
  for (const stream of [stack.app.stdout, stack.app.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      file.write(`${line}\n`);
      let parsed: z.infer<typeof LogLine> | null = null;
      try {
        const result = LogLine.safeParse(JSON.parse(line));
        parsed = result.success ? result.data : null;
      } catch {
        parsed = null;
      }
      // pino: 50 error, 60 fatal.
      if (parsed && parsed.level >= 50)
        say(`  ${clock()} app error: ${parsed.msg ?? "(no message)"} — see ${LOG_FILE}`);
    });
  }
}

/**
 * The storefront visits seeded at install can arrive after the first scoring run began (it starts as soon as the
 * backfill ends); then "Lost but engaged" needs a run that sees them: ask for one as the merchant would, with the
 * dashboard's action (intent=score) through App Bridge's authenticated fetch.
 */
async function rescoreIfVisitsCameLate(db: Db, stack: DemoStack): Promise<boolean> {
  const [run, latest] = await Promise.all([
    db.scoringRun.findFirst({
      where: { shop: DEMO_SHOP, kind: "full", finishedAt: { not: null } },
      orderBy: { id: "asc" },
    }),
    db.customerEngagement.aggregate({ where: { shop: DEMO_SHOP }, _max: { updatedAt: true } }),
  ]);
  const seen = latest._max.updatedAt;
  if (!run || !seen || run.startedAt > seen) return false;
  const response = await fetch(`${stack.appUrl}/app.data?index`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${stack.emulator.sessionToken(DEMO_SHOP)}`,
      "Content-Type": "application/x-www-form-urlencoded",
      "User-Agent": BROWSER_UA,
    },
    body: new URLSearchParams({ intent: "score" }),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`asking for a scoring run answered ${response.status}`);
  return true;
}

export async function runDemo(appLogLevel: string): Promise<void> {
  const term = terminal();
  const ownDatabase = Boolean(process.env.DATABASE_URL);
  mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  const log = createWriteStream(LOG_FILE, { flags: "w" });
  process.stdout.write("Starting the RFM Segments demo (database, Shopify admin emulator, app build)…\n");
  const database = await ensureDatabase({ embeddedDir: path.join(ROOT, ".data", "demo-pglite"), fresh: true });
  const stack = await startDemoStack({
    mode: "production",
    databaseUrl: database.url,
    appPort: Number(process.env.PORT ?? 3000),
    emulatorPort: Number(process.env.EMULATOR_PORT ?? 3457),
    logLevel: appLogLevel,
    // Shopify's own timeout: an answer slower than 5 s is a failed delivery, retried.
    webhooks: { responseTimeoutMs: RESPONSE_TIMEOUT_MS },
  });
  log.write(stack.output());
  logTo(stack, log, (line) => term.line(line));
  const db = createDb(database.url, 2);
  const shop = stack.emulator.shop(DEMO_SHOP);
  const build = stack.build?.built ? `built in ${((stack.build.ms ?? 0) / 1000).toFixed(1)} s` : "build/ up to date";
  process.stdout.write(
    [
      "",
      "RFM Segments demo is running.",
      `  shop:     ${shop.name} (${DEMO_SHOP}), ${shop.dataset.spec.customers.toLocaleString("en-US")} customers, ` +
        `${shop.ordersCount().toLocaleString("en-US")} orders`,
      `  database: ${ownDatabase ? "your DATABASE_URL" : "embedded PGlite in .data/demo-pglite (fresh each run)"}`,
      `  app:      production build (${build}) at ${stack.appUrl}`,
      `  log:      ${LOG_FILE} (the app's log, one JSON line per event; LOG_LEVEL=debug for more)`,
      "",
      "What happens next: opening the URL installs the app in the emulated admin (token exchange, as in Shopify)",
      "and starts the first sync: it imports every order and scores every customer (5 to 20 seconds, depending on",
      "the machine's load), then writes tags, metafields and Shopify segments back (30 to 40 seconds). The dashboard",
      "follows it live. The demo also sends some storefront visits and email clicks through the app's web pixel",
      "endpoint, so Browsing and Lost but engaged show customers. Progress appears below.",
      "",
      `Open: ${stack.adminUrl}`,
      "",
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );

  const look = progressOf(db, DEMO_SHOP);
  let settled = false;
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      const progress = await look();
      for (const line of progress.lines) term.line(`  ${clock()} ${line}`);
      term.status(progress.status ? `  ${clock()} ${progress.status}` : null);
      if (progress.settled && !settled) {
        settled = true;
        term.line(`\nThe dashboard shows the segments now. Open: ${stack.adminUrl}\n`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const visits = async () => {
    const sent = await sendStorefrontVisits(db, shop, chooseVisitors(shop));
    term.line(
      `  ${clock()} storefront: ${sent.views} visits and ${sent.emailClicks} email clicks sent to the web pixel ` +
        `endpoint, plus ${sent.earlierDays} earlier visit days of returning browsers`,
    );
    // The first full run decides "Lost but engaged"; wait for it, then make sure it saw the visits.
    while (
      !stopped &&
      !(await db.scoringRun.count({ where: { shop: DEMO_SHOP, kind: "full", finishedAt: { not: null } } }))
    )
      await new Promise((r) => setTimeout(r, 500));
    if (!stopped && (await rescoreIfVisitsCameLate(db, stack)))
      term.line(`  ${clock()} storefront: the visits came after the first scoring run began; scoring again`);
  };
  // While stopping, the database goes away under a look in flight: not worth a line.
  const failed = (what: string) => (error: unknown) => {
    if (!stopped) term.line(`  ${clock()} ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  };
  void poll().catch(failed("progress"));
  void visits().catch(failed("storefront visits"));

  // What Shopify's delivery log would show, in the log file; failed and given-up deliveries also on the terminal.
  let reported = "";
  let problemsShown = 0;
  const report = () => {
    const webhooks = stack.emulator.webhooks;
    const s = webhooks.summary();
    const summary = JSON.stringify(s);
    if (summary === reported) return;
    reported = summary;
    log.write(`demo: webhook deliveries ${summary}\n`);
    const problems = webhooks.problems();
    for (const { record, attempts } of problems.slice(0, 20))
      log.write(
        `demo:   ${record.topic} ${record.webhookId} ${record.state}: ${attempts.map((a) => `#${a.attempt} ${a.status || a.outcome}`).join(", ")}\n`,
      );
    if (s.failedAttempts + s.givenUp > problemsShown) {
      problemsShown = s.failedAttempts + s.givenUp;
      term.line(
        `  ${clock()} webhooks: ${s.deliveries} deliveries, ${s.failedAttempts} failed attempts, ${s.retried} retried, ` +
          `${s.givenUp} given up — details in ${LOG_FILE}`,
      );
    }
  };
  const reporter = setInterval(report, 10_000);
  const stop = async () => {
    stopped = true;
    clearInterval(reporter);
    term.status(null);
    report();
    await stack.stop();
    await db.$disconnect();
    await database.stop();
    log.end();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}
