// `npm run demo`: the embedded database, the Admin API emulator with a seeded demo shop, and the app on its
// production build (run-demo.ts). The terminal shows a short progress summary and the URL to open; the app's log
// (LOG_LEVEL, default info) goes to .data/demo.log.
const appLogLevel = process.env.LOG_LEVEL ?? "info";
// This process's own log (the embedded database starting, migrations) stays off the terminal: warnings only. Set
// before the modules that create the logger are loaded.
process.env.LOG_LEVEL = "warn";
void import("./run-demo")
  .then(({ runDemo }) => runDemo(appLogLevel))
  .catch((error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
