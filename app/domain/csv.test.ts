import { describe, expect, it } from "vitest";
import { readCsv as parse } from "../../test/support/csv";
import { CSV_COMMA, CSV_SEMICOLON, csvCell, csvRows, csvStart, twoDecimals, type CsvColumn } from "./csv";

type Person = { id: number; name: string | null; spend: string };
const columns: CsvColumn<Person>[] = [
  { header: "Klant-ID", cell: (p) => p.id },
  { header: "Naam", cell: (p) => p.name },
  { header: "Netto besteding", cell: (p) => ({ amount: p.spend }) },
];
const people: Person[] = [
  { id: 1, name: "Anna de Vries", spend: "1234.5" },
  { id: 2, name: 'Bram "B"; Bakker, jr.', spend: "0.005" },
  { id: 3, name: null, spend: "12" },
  { id: 4, name: "Zoë\nÉlodie", spend: "-3.999" },
];

describe("the CSV writer", () => {
  it("GIVEN the Dutch dialect THEN semicolons, decimal commas, a BOM, and every field reads back as written", () => {
    const text = csvStart(columns, CSV_SEMICOLON) + csvRows(people, columns, CSV_SEMICOLON);
    expect(text.startsWith("\uFEFFKlant-ID;Naam;Netto besteding\r\n")).toBe(true);
    expect(text).toContain("1;Anna de Vries;1234,50\r\n");
    expect(parse(text.slice(1), ";")).toEqual([
      ["Klant-ID", "Naam", "Netto besteding"],
      ["1", "Anna de Vries", "1234,50"],
      ["2", 'Bram "B"; Bakker, jr.', "0,01"],
      ["3", "", "12,00"],
      ["4", "Zoë\nÉlodie", "-4,00"],
    ]);
  });

  it("GIVEN the English dialect THEN commas and decimal points; a comma in a name is quoted, a semicolon is not", () => {
    const text = csvStart(columns, CSV_COMMA) + csvRows(people, columns, CSV_COMMA);
    expect(text).toContain('2,"Bram ""B""; Bakker, jr.",0.01\r\n');
    expect(csvCell("a;b", CSV_COMMA)).toBe("a;b");
    expect(csvCell("a;b", CSV_SEMICOLON)).toBe('"a;b"');
    expect(csvCell("a,b", CSV_SEMICOLON)).toBe("a,b");
    expect(parse(text.slice(1), ",")[4]).toEqual(["4", "Zoë\nÉlodie", "-4.00"]);
  });

  it("GIVEN a cell a spreadsheet would run as a formula THEN it is written as text", () => {
    expect(csvCell('=HYPERLINK("http://evil")', CSV_COMMA)).toBe(`"'=HYPERLINK(""http://evil"")"`);
    for (const s of ["+31", "-1", "@SUM(A1)", "\tx"]) expect(csvCell(s, CSV_SEMICOLON).replace(/^"/, "")).toMatch(/^'/);
    // Numbers and amounts are numbers: a negative one stays a number.
    expect(csvCell(-1, CSV_COMMA)).toBe("-1");
    expect(csvCell({ amount: "-1" }, CSV_SEMICOLON)).toBe("-1,00");
  });

  it("GIVEN amounts THEN two decimals, rounded half away from zero, exactly", () => {
    expect(["0", "1", "1.5", "1.005", "1.0049", "999999999999.995", "-0.004", "-2.675", ".5"].map(twoDecimals)).toEqual(
      ["0.00", "1.00", "1.50", "1.01", "1.00", "1000000000000.00", "0.00", "-2.68", "0.50"],
    );
    expect(() => twoDecimals("12,50")).toThrow();
    expect(() => twoDecimals("")).toThrow();
  });

  it("GIVEN a dialect without BOM THEN the file starts with the header", () => {
    expect(csvStart(columns, { ...CSV_COMMA, bom: false })).toBe("Klant-ID,Naam,Netto besteding\r\n");
  });
});
