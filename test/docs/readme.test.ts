import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../demo/stack";
import { ruleTableMarkdown } from "../support/rule-table";

describe("README", () => {
  it("publishes exactly the default rule tables the engine uses (scales 5 and 4)", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(ruleTableMarkdown(5));
    expect(readme).toContain(ruleTableMarkdown(4));
  });

  it("starts with the two commands a newcomer runs", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    const block = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(block).toMatch(/^npm ci && npm run demo/m);
    expect(block).toMatch(/^npm test/m);
  });
});
