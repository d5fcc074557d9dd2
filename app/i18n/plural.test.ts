import { describe, expect, it } from "vitest";
import { plural, pluralForm } from "./plural";
import { MESSAGES } from "./messages";

describe("counts in words", () => {
  const segments = { one: "{n} segment changed", other: "{n} segments changed" };

  it("GIVEN one THEN the singular; GIVEN zero, two or a fraction THEN the plural", () => {
    expect(plural(segments, 1, "en")).toBe("1 segment changed");
    expect(plural(segments, 0, "en")).toBe("0 segments changed");
    expect(plural(segments, 2, "en")).toBe("2 segments changed");
    expect(pluralForm(1.5, "en")).toBe("other");
    expect(pluralForm(1, "nl")).toBe("one");
    expect(pluralForm(0, "nl")).toBe("other");
  });

  it("GIVEN a formatted number and more placeholders THEN the form follows the count, the text shows the formatting", () => {
    expect(plural(segments, 1200, "en", "1,200")).toBe("1,200 segments changed");
    expect(plural({ one: "{n} of {total}", other: "{n} of {total}s" }, 1, "en", "1", { total: 9 })).toBe("1 of 9");
  });

  it("GIVEN the catalog's count messages THEN every one of them says 1 in the singular and 2 in the plural, in both languages", () => {
    for (const language of ["en", "nl"] as const) {
      const t = MESSAGES[language];
      const counts = [t.browsers.count, t.dataRequests.statusHeld, t.home.writeBackRefused, t.home.segmentsChanged];
      for (const message of counts) {
        expect(plural(message, 1, language)).toBe(message.one.replace("{n}", "1"));
        expect(plural(message, 2, language)).toBe(message.other.replace("{n}", "2"));
        expect(message.one).not.toBe(message.other);
      }
    }
    expect(plural(MESSAGES.nl.browsers.count, 1, "nl")).toBe("1 klant");
    expect(plural(MESSAGES.en.home.segmentsChanged, 1, "en")).toBe("1 segment changed");
  });
});
