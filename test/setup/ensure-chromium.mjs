// pretest: the browser tests drive Debian's Chromium; install it when it is missing.
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const sudo = root ? "" : "sudo ";
  process.stdout.write(`Chromium is missing at ${path}; installing Debian's chromium package (once)…\n`);
  try {
    execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`, {
      stdio: "inherit",
    });
  } catch {
    process.stderr.write(
      "Could not install chromium. Install it yourself (apt-get install chromium) or set CHROMIUM_PATH.\n",
    );
    process.exit(1);
  }
}
