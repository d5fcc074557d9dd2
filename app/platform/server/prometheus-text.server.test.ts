import { describe, expect, it } from "vitest";
import { formatPrometheus } from "./prometheus-text.server";
import { parsePrometheus } from "../../../test/support/prometheus";

describe("formatPrometheus", () => {
  it("GIVEN families with labels THEN each gets HELP and TYPE lines, samples, and a final line feed", () => {
    const text = formatPrometheus([
      {
        name: "rfm_things_total",
        help: "Things.",
        type: "counter",
        samples: [
          { labels: { shop: "a.myshopify.com" }, value: 3 },
          { labels: { shop: "b.myshopify.com" }, value: 0.25 },
        ],
      },
      { name: "rfm_up", help: "Up.", type: "gauge", samples: [{ value: 1 }] },
    ]);
    expect(text).toBe(
      [
        "# HELP rfm_things_total Things.",
        "# TYPE rfm_things_total counter",
        'rfm_things_total{shop="a.myshopify.com"} 3',
        'rfm_things_total{shop="b.myshopify.com"} 0.25',
        "# HELP rfm_up Up.",
        "# TYPE rfm_up gauge",
        "rfm_up 1",
        "",
      ].join("\n"),
    );
  });

  it("GIVEN label values and help text with backslashes, quotes and line feeds THEN they are escaped and parse back", () => {
    const odd = 'a\\b "quoted"\nnext';
    const text = formatPrometheus([
      { name: "rfm_odd", help: "multi\nline \\ help", type: "gauge", samples: [{ labels: { v: odd }, value: 7 }] },
    ]);
    expect(text).toContain("# HELP rfm_odd multi\\nline \\\\ help\n");
    expect(text).toContain('rfm_odd{v="a\\\\b \\"quoted\\"\\nnext"} 7\n');
    expect(parsePrometheus(text).samples).toEqual([{ name: "rfm_odd", labels: { v: odd }, value: 7 }]);
  });

  it("GIVEN an invalid metric or label name THEN it refuses to render it", () => {
    expect(() => formatPrometheus([{ name: "rfm-bad", help: "x", type: "gauge", samples: [] }])).toThrow(/metric name/);
    expect(() =>
      formatPrometheus([
        { name: "rfm_ok", help: "x", type: "gauge", samples: [{ labels: { "bad-label": "v" }, value: 1 }] },
      ]),
    ).toThrow(/label name/);
  });
});
