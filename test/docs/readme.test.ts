import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { ROOT } from "../demo/stack";
import { ruleTableMarkdown } from "../support/rule-table";

describe("README", () => {
  it("publishes exactly the default rule tables the engine uses (scales 5 and 4)", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    // The README is prettier-formatted, so the table is compared as prettier lays it out.
    for (const scale of [5, 4] as const) {
      expect(readme).toContain(
        (await format(ruleTableMarkdown(scale), { parser: "markdown", printWidth: 120 })).trim(),
      );
    }
  });

  it("starts with the two commands a newcomer runs", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    const block = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(block).toMatch(/^npm ci && npm run demo/m);
    expect(block).toMatch(/^npm test/m);
  });
});

describe("README paths", () => {
  it("names only files and folders that exist (Where things live, and every file or folder path in backticks)", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    const named = [...readme.matchAll(/`((?:app|test|prisma|extensions)\/[\w./$-]*(?:\.\w+|\/))`/g)].map(
      (m) => m[1] ?? "",
    );
    const tree = /## Where things live\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const stack: string[] = [];
    for (const line of tree.split("\n")) {
      const m = /^( *)([\w.-]+\/?|[\w.-]+\.server\.ts|<page>\/)\s/.exec(line + " ");
      if (!m?.[2]) continue;
      const depth = (m[1] ?? "").length / 2;
      stack.length = depth;
      stack.push(m[2].replace(/\/$/, ""));
      if (!m[2].includes("<")) named.push(stack.join("/"));
    }
    expect(named.length).toBeGreaterThan(20);
    const missing = named.filter((p) => !p.includes("<") && !p.includes("*") && !existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
  });
});
