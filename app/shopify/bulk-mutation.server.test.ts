import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { JsonlParts } from "./bulk-mutation.server";

describe("JsonlParts", () => {
  it("splits variables into parts under the size limit, keeping every line whole and in order", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "parts-"));
    try {
      const parts = new JsonlParts(dir, "tags", 120);
      const lines = Array.from({ length: 25 }, (_, i) => ({
        id: `gid://shopify/Customer/${7_000_000_000_000 + i}`,
        tags: ["rfm-champions"],
      }));
      for (const l of lines) await parts.write(l);
      const files = await parts.close();
      expect(files.length).toBeGreaterThan(5);
      const read: unknown[] = [];
      for (const f of files) {
        const text = await readFile(f, "utf8");
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(120);
        read.push(
          ...text
            .trimEnd()
            .split("\n")
            .map((l) => JSON.parse(l) as unknown),
        );
      }
      expect(read).toEqual(lines);
      expect(parts.lines).toBe(25);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
