import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { build, type Plugin } from "esbuild";
import { z } from "zod";

/**
 * `npm run build:worker`: the background worker (`app/platform/server/worker-main.server.ts`) as one ES module,
 * build/worker/worker-main.mjs, run with plain `node` (`npm run worker:built`) — no TypeScript loader in the process,
 * so its memory is the app's. Packages stay in node_modules; only the app's own code is bundled.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Modules that find files next to themselves (`new URL("../../../prisma/migrations", import.meta.url)`) keep doing so
 * from the bundle: each module's `import.meta.url` becomes its source file's URL, relative to the bundle, so the
 * build still works when the checkout moves.
 */
function sourceImportMetaUrl(outdir: string): Plugin {
  return {
    name: "source-import-meta-url",
    setup(b) {
      b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta.url")) return undefined;
        const relative = path.relative(outdir, args.path).split(path.sep).join("/");
        return {
          contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(relative)}, import.meta.url).href`),
          loader: args.path.endsWith(".tsx") ? "tsx" : "ts",
        };
      });
    },
  };
}

/** Bundles each entry (name → source path relative to the project) into outdir/<name>.mjs. */
export async function buildNodeEntries(entries: Record<string, string>, outdir: string): Promise<string[]> {
  const out = path.resolve(ROOT, outdir);
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.join(ROOT, file)])),
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node22",
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [sourceImportMetaUrl(out)],
  });
  return Object.keys(entries).map((name) => path.join(out, `${name}.mjs`));
}

export const WORKER_BUILD_DIR = "build/worker";

/**
 * The node options the built worker runs with, as `npm run worker:built` starts it (package.json, the one place
 * they are set), so what starts a bundled entry elsewhere (bench:writeback) measures what production runs.
 * `--heap-growing-percent=50`: a major GC once the old generation grows by half its live size, not by V8's
 * default of up to 4×, where a write-back's promoted page garbage reached ≈ 110 MB over 200 000 customers.
 */
export function workerNodeFlags(): string[] {
  const { scripts } = z
    .object({ scripts: z.object({ "worker:built": z.string() }) })
    .parse(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")));
  const [command, ...args] = scripts["worker:built"].trim().split(/\s+/);
  if (command !== "node") throw new Error(`worker:built must start with node: ${scripts["worker:built"]}`);
  return args.filter((a) => a.startsWith("--"));
}

export function buildWorker(): Promise<string[]> {
  return buildNodeEntries({ "worker-main": "app/platform/server/worker-main.server.ts" }, WORKER_BUILD_DIR);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file] = await buildWorker();
  process.stdout.write(`built ${file ? pathToFileURL(file).pathname : WORKER_BUILD_DIR}\n`);
}
