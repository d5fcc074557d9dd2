import { describe, expect, it } from "vitest";
import { dayMonthStyle, formatDayMonth, parseDayMonth } from "./day-month";

describe("a day of the year as the admin's locale writes it", () => {
  it("GIVEN a stored MM-DD WHEN shown THEN Dutch writes day first, American English month first, British day first", () => {
    expect(formatDayMonth("12-01", "nl-NL")).toBe("01-12");
    expect(formatDayMonth("12-24", "nl-NL")).toBe("24-12");
    expect(formatDayMonth("12-01", "en-US")).toBe("12/01");
    expect(formatDayMonth("12-01", "en-GB")).toBe("01/12");
    expect(dayMonthStyle("nl-NL")).toEqual({ order: "dm", separator: "-" });
    expect(dayMonthStyle("en-US")).toEqual({ order: "md", separator: "/" });
  });

  it("GIVEN what a Dutch merchant types WHEN parsed THEN it is stored as MM-DD", () => {
    for (const typed of [
      "1-12",
      "01-12",
      "1/12",
      "1.12",
      "1 12",
      " 01-12 ",
      "1 december",
      "1 dec",
      "1 dec.",
      "december 1",
    ])
      expect(parseDayMonth(typed, "nl-NL"), typed).toBe("12-01");
    expect(parseDayMonth("24-12", "nl-NL")).toBe("12-24");
    expect(parseDayMonth("1 mrt", "nl-NL")).toBe("03-01");
    expect(parseDayMonth("31 mei", "nl-NL")).toBe("05-31");
    expect(parseDayMonth("29-2", "nl-NL")).toBe("02-29");
  });

  it("GIVEN what an American merchant types WHEN parsed THEN month comes first, and month names work either way", () => {
    expect(parseDayMonth("12/01", "en-US")).toBe("12-01");
    expect(parseDayMonth("12-24", "en-US")).toBe("12-24");
    expect(parseDayMonth("Dec 1", "en-US")).toBe("12-01");
    expect(parseDayMonth("December 1st", "en-US")).toBe("12-01");
    expect(parseDayMonth("1 December", "en-GB")).toBe("12-01");
    expect(parseDayMonth("01/12", "en-GB")).toBe("12-01");
  });

  it("GIVEN something that is not a day of the year WHEN parsed THEN it is refused, in either order", () => {
    // The old MM-DD form in Dutch: "12-24" is day 12 of month 24.
    expect(parseDayMonth("12-24", "nl-NL")).toBeNull();
    expect(parseDayMonth("24-12", "en-US")).toBeNull();
    for (const typed of ["", "31-04", "30-2", "0-1", "1-0", "1-13", "kerst", "12", "1-2-3", "32 december", "1 smarch"])
      expect(parseDayMonth(typed, "nl-NL"), typed).toBeNull();
  });

  it("GIVEN any day of the year WHEN shown and read back in the same locale THEN it is the same day", () => {
    for (const locale of ["nl-NL", "nl-BE", "en-US", "en-GB"])
      for (let m = 1; m <= 12; m++)
        for (const d of [1, 15, 28]) {
          const mmdd = `${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          expect(parseDayMonth(formatDayMonth(mmdd, locale), locale), `${locale} ${mmdd}`).toBe(mmdd);
        }
  });
});
