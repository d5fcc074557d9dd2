import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { adminSchema } from "../emulator/admin-schema";
import { ROOT } from "../demo/stack";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Every gql`…` document in app/ (documents are written whole: no interpolation). */
function documents(): { file: string; text: string }[] {
  return sourceFiles(path.join(ROOT, "app")).flatMap((file) => {
    const source = readFileSync(file, "utf8");
    return [...source.matchAll(/\bgql`([^`]*)`/g)].map((m) => ({ file: path.relative(ROOT, file), text: m[1] ?? "" }));
  });
}

describe("GraphQL documents in app/", () => {
  const docs = documents();

  it("finds the app's documents", () => {
    expect(docs.length).toBeGreaterThan(0);
  });

  it.each(docs.map((d) => [d.file, d.text] as const))(
    "%s is valid against the Admin API 2026-10 schema",
    (_file, text) => {
      expect(text).not.toContain("${");
      const errors = validate(adminSchema(), parse(text)).map((e) => e.message);
      expect(errors).toEqual([]);
    },
  );
});
