/**
 * A strict reader of Prometheus text exposition format 0.0.4, written from the spec
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), independent of the app's formatter: throws on any
 * line it cannot read, a sample without a TYPE, or a missing final line feed.
 */
export interface ParsedMetrics {
  types: Record<string, string>;
  help: Record<string, string>;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([^ ]+)( -?\d+)?$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = LABEL.exec(rest);
    if (!match?.[1] || match[2] === undefined) throw new Error(`bad labels: ${text}`);
    labels[match[1]] = unescape(match[2]);
    rest = rest.slice(match[0].length);
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  const value = Number(text);
  if (!/^-?[0-9.eE+-]+$/.test(text) || Number.isNaN(value)) throw new Error(`bad value: ${text}`);
  return value;
}

export function parsePrometheus(text: string): ParsedMetrics {
  if (!text.endsWith("\n")) throw new Error("the last line must end with a line feed");
  const parsed: ParsedMetrics = { types: {}, help: {}, samples: [] };
  for (const line of text.slice(0, -1).split("\n")) {
    if (line.trim() === "") continue;
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (help?.[1] && help[2] !== undefined) {
      parsed.help[help[1]] = help[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type?.[1] && type[2]) {
      if (parsed.types[type[1]]) throw new Error(`second TYPE line for ${type[1]}`);
      parsed.types[type[1]] = type[2];
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = SAMPLE.exec(line);
    if (!sample?.[1] || sample[4] === undefined) throw new Error(`unreadable line: ${line}`);
    if (!parsed.types[sample[1]]) throw new Error(`sample before its TYPE: ${line}`);
    parsed.samples.push({ name: sample[1], labels: parseLabels(sample[3] ?? ""), value: parseValue(sample[4]) });
  }
  return parsed;
}
