import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { parse } from "smol-toml";

/**
 * Bundles every UI extension's entry module (extensions/<name>/shopify.extension.toml,
 * type "ui_extension") into extensions/<name>/dist/<handle>.js: one ES module,
 * JSX through Preact — and every web pixel (type "web_pixel_extension",
 * src/index.ts) into dist/main.js: what Shopify's CLI uploads, built without it.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface ExtensionToml {
  type?: string;
  extensions?: { type?: string; handle?: string; targeting?: { module?: string; target?: string }[] }[];
}

export interface BuiltExtension {
  name: string;
  outfile: string;
  bytes: number;
}

/** Builds every UI extension under root/extensions, or only the named ones. */
export async function buildExtensions(root = ROOT, only?: readonly string[]): Promise<BuiltExtension[]> {
  const dir = path.join(root, "extensions");
  const built: BuiltExtension[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    if (only && !only.includes(name)) continue;
    const tomlPath = path.join(dir, name, "shopify.extension.toml");
    if (!existsSync(tomlPath)) continue;
    const toml = parse(readFileSync(tomlPath, "utf8")) as ExtensionToml;
    if (toml.type === "web_pixel_extension") {
      const outfile = path.join(dir, name, "dist", "main.js");
      const result = await build({
        entryPoints: [path.join(dir, name, "src", "index.ts")],
        outfile,
        bundle: true,
        format: "esm",
        target: "es2020",
        minify: true,
        logLevel: "silent",
        metafile: true,
      });
      built.push({ name, outfile, bytes: Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) });
      continue;
    }
    for (const extension of toml.extensions ?? []) {
      if (extension.type !== "ui_extension") continue;
      // One bundle per distinct module: several targets may share an entry.
      const modules = [
        ...new Set((extension.targeting ?? []).map((t) => t.module).filter((m): m is string => Boolean(m))),
      ];
      for (const [i, module] of modules.entries()) {
        const base = extension.handle ?? name;
        const outfile = path.join(dir, name, "dist", `${modules.length > 1 ? `${base}-${i}` : base}.js`);
        const result = await build({
          entryPoints: [path.join(dir, name, module)],
          outfile,
          bundle: true,
          format: "esm",
          target: "es2020",
          minify: true,
          jsx: "automatic",
          jsxImportSource: "preact",
          logLevel: "silent",
          metafile: true,
        });
        built.push({ name, outfile, bytes: Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) });
      }
    }
  }
  return built;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildExtensions();
  for (const b of built) process.stdout.write(`${path.relative(ROOT, b.outfile)}  ${(b.bytes / 1024).toFixed(1)} kB\n`);
}
