// Webhook subscription `filter` and `include_fields`, as Shopify documents them:
// - filter: Shopify search syntax evaluated against the payload; a delivery whose payload does not match is not sent
//   (https://shopify.dev/docs/apps/build/webhooks/delivery-filtering,
//   https://shopify.dev/docs/apps/build/webhooks/customize/filters, https://shopify.dev/docs/api/usage/search-syntax).
// - include_fields: only the listed fields are sent; nested fields are named with a period ("variants.price")
//   (https://shopify.dev/docs/apps/build/webhooks/customize/modify-payloads).
// The filter subset implemented: `field:value`, `field:"quoted value"`, `field:>n` `>=` `<` `<=`, `field:*` (present),
// dotted paths into objects and arrays (any element matches), AND, OR, NOT, a leading `-`, implicit AND between terms,
// parentheses. Anything else (free text, prefix wildcards `foo*`, ranges, fuzzy `~`) throws: the emulator never lets a
// filter it does not understand pass silently.

type Json = unknown;

export type FilterExpr =
  | { kind: "and" | "or"; left: FilterExpr; right: FilterExpr }
  | { kind: "not"; expr: FilterExpr }
  | { kind: "term"; path: string[]; op: ":" | ">" | ">=" | "<" | "<="; value: string; exists: boolean };

type Token = { t: "(" | ")" | "AND" | "OR" | "NOT" } | { t: "term"; text: string };

export class UnsupportedFilterError extends Error {}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      tokens.push({ t: c });
      i++;
      continue;
    }
    let text = "";
    while (i < filter.length && !/[\s()]/.test(filter.charAt(i))) {
      if (filter.charAt(i) === '"') {
        const end = filter.indexOf('"', i + 1);
        if (end < 0) throw new UnsupportedFilterError(`unterminated quote in filter: ${filter}`);
        text += filter.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      text += filter.charAt(i);
      i++;
    }
    if (text === "AND" || text === "OR" || text === "NOT") tokens.push({ t: text });
    else tokens.push({ t: "term", text });
  }
  return tokens;
}

function parseTerm(text: string, filter: string): FilterExpr {
  const negated = text.startsWith("-");
  const body = negated ? text.slice(1) : text;
  const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*):(>=|<=|>|<)?(.+)$/.exec(body);
  if (!m) throw new UnsupportedFilterError(`unsupported filter term "${text}" in: ${filter} (only field:value terms)`);
  const [, field = "", cmp, raw = ""] = m;
  let value = raw;
  if (value.startsWith('"')) {
    if (!value.endsWith('"') || value.length < 2)
      throw new UnsupportedFilterError(`unsupported quoting in "${text}": ${filter}`);
    value = value.slice(1, -1);
  } else if (value !== "*" && /[*~?[\]{}\\]/.test(value)) {
    throw new UnsupportedFilterError(`unsupported filter value "${value}" in: ${filter} (no wildcards or ranges)`);
  }
  if (cmp && (value === "*" || Number.isNaN(Number(value))))
    throw new UnsupportedFilterError(`comparison needs a number: "${text}" in ${filter}`);
  const term: FilterExpr = {
    kind: "term",
    path: field.split("."),
    op: (cmp as ">" | ">=" | "<" | "<=" | undefined) ?? ":",
    value,
    exists: value === "*" && !raw.startsWith('"'),
  };
  return negated ? { kind: "not", expr: term } : term;
}

/** Parses a subscription filter; throws UnsupportedFilterError for syntax outside the documented subset. */
export function parseFilter(filter: string): FilterExpr {
  const tokens = tokenize(filter);
  let pos = 0;
  const peek = () => tokens[pos];
  const orExpr = (): FilterExpr => {
    let left = andExpr();
    while (peek()?.t === "OR") {
      pos++;
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): FilterExpr => {
    let left = unary();
    for (;;) {
      const next = peek();
      if (next?.t === "AND") {
        pos++;
        left = { kind: "and", left, right: unary() };
      } else if (next && (next.t === "term" || next.t === "NOT" || next.t === "(")) {
        left = { kind: "and", left, right: unary() };
      } else return left;
    }
  };
  const unary = (): FilterExpr => {
    const token = tokens[pos++];
    if (!token) throw new UnsupportedFilterError(`filter ends too early: ${filter}`);
    if (token.t === "NOT") return { kind: "not", expr: unary() };
    if (token.t === "(") {
      const inner = orExpr();
      if (tokens[pos++]?.t !== ")") throw new UnsupportedFilterError(`missing ) in filter: ${filter}`);
      return inner;
    }
    if (token.t === "term") return parseTerm(token.text, filter);
    throw new UnsupportedFilterError(`unexpected ${token.t} in filter: ${filter}`);
  };
  if (tokens.length === 0) throw new UnsupportedFilterError("empty filter");
  const expr = orExpr();
  if (pos !== tokens.length) throw new UnsupportedFilterError(`unexpected ${tokens[pos]?.t} in filter: ${filter}`);
  return expr;
}

function valuesAt(value: Json, path: string[]): Json[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  if (path.length === 0) return [value];
  if (value === null || typeof value !== "object") return [];
  const [head = "", ...rest] = path;
  if (!(head in value)) return [];
  return valuesAt((value as Record<string, Json>)[head], rest);
}

function termMatches(term: Extract<FilterExpr, { kind: "term" }>, payload: Json): boolean {
  const found = valuesAt(payload, term.path).filter((v) => v !== null && v !== undefined);
  if (term.exists) return found.length > 0;
  return found.some((v) => {
    if (typeof v === "object") return false;
    const text = String(v);
    if (term.op === ":") {
      const n = Number(term.value);
      if (text.trim() !== "" && !Number.isNaN(Number(text)) && !Number.isNaN(n)) return Number(text) === n;
      return text.toLowerCase() === term.value.toLowerCase();
    }
    const x = Number(text);
    if (text.trim() === "" || Number.isNaN(x)) return false;
    const n = Number(term.value);
    return term.op === ">" ? x > n : term.op === ">=" ? x >= n : term.op === "<" ? x < n : x <= n;
  });
}

export function filterMatches(expr: FilterExpr, payload: Json): boolean {
  switch (expr.kind) {
    case "and":
      return filterMatches(expr.left, payload) && filterMatches(expr.right, payload);
    case "or":
      return filterMatches(expr.left, payload) || filterMatches(expr.right, payload);
    case "not":
      return !filterMatches(expr.expr, payload);
    case "term":
      return termMatches(expr, payload);
  }
}

function projectInto(source: Json, path: string[]): Json {
  if (Array.isArray(source)) return source.map((item) => projectInto(item, path));
  if (path.length === 0 || source === null || typeof source !== "object") return source;
  const [head = "", ...rest] = path;
  if (!(head in source)) return undefined;
  const picked = projectInto((source as Record<string, Json>)[head], rest);
  return { [head]: picked };
}

function merge(a: Json, b: Json): Json {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (Array.isArray(a) && Array.isArray(b)) return a.map((item, i) => merge(item, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, Json> = { ...(a as Record<string, Json>) };
    for (const [k, v] of Object.entries(b as Record<string, Json>)) out[k] = merge(out[k], v);
    return out;
  }
  return b;
}

/** The payload with only the include_fields paths (nested with "."; through arrays, each element keeps the path). */
export function includeFields(payload: Json, fields: readonly string[]): Json {
  let out: Json = {};
  for (const field of fields) {
    const projected = projectInto(payload, field.split("."));
    if (projected !== undefined) out = merge(out, projected);
  }
  return out;
}
