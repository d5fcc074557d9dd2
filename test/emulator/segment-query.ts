/**
 * The subset of Shopify's segment query language the emulator understands: parsed, validated (anything else is
 * refused, never silently accepted) and evaluated against the generated shop.
 *
 * Sources (Shopify's segment query language reference, shopify.dev/docs/api/shopifyql/segment-query-language-reference,
 * and the 2026-10 changelog "Updated function syntax on the segment query language"):
 * - "As of GraphQL Admin API version 2026-10, functions in the segment query language now use the operators
 *   MATCHES/NOT MATCHES instead of = true/= false. For example, the previous query shopify_email.opened() = true
 *   would now be represented as shopify_email.opened MATCHES ()."  → the old `= true` form is refused.
 * - "Shopify Email functions enable segmenting on Shopify Email events. They are namespaced under the
 *   `shopify_email.` prefix. The following events are supported: bounced, clicked, delivered, marked_as_spam,
 *   opened, unsubscribed" with named parameters `activity_id` (`= ID` or `IN (…)`, "A list can contain up to 500
 *   IDs") and `date` ("Date = {absoluteDate} | {dateOffset} | {namedDate} | BETWEEN {date} AND {date}"), e.g.
 *   `shopify_email.marked_as_spam MATCHES (activity_id = 5240029206, date > -3m)`.
 * - Attributes table: "`storefront_event.product_viewed` Function — The customer who browsed a particular product"
 *   (and `storefront_event.collection_viewed`). ShopifyQL's semi-join table lists its parameters as `id`, `date`,
 *   `count` (there spelled `storefront.product_viewed`; the segment reference's attribute name is the one used here).
 * - "Each parameter can only be used once per MATCHES filter."
 * - Date operators "act on complete 24-hour days"; `{dateOffset}` is "{+/-} {#} d|w|m|y"; named dates `today`,
 *   `yesterday`; customerSegmentMembers' `timezone` "defaults to UTC if the timezone isn't provided".
 * - "Invalid query: Too many clauses (>10)"; "By default AND takes precedence over OR. Parenthesis are optional."
 */

export type CompareOp = "=" | "!=" | ">" | ">=" | "<" | "<=";

/** A date condition: a day offset from "today" (whole days) or months/years, or an absolute day. */
export type DateValue =
  { kind: "absolute"; day: string } | { kind: "offset"; amount: number; unit: "d" | "w" | "m" | "y" };

export type DateCondition = { op: CompareOp; value: DateValue } | { op: "BETWEEN"; from: DateValue; to: DateValue };

export const EMAIL_EVENTS = ["bounced", "clicked", "delivered", "marked_as_spam", "opened", "unsubscribed"] as const;
export type EmailEvent = (typeof EMAIL_EVENTS)[number];
export const STOREFRONT_EVENTS = ["product_viewed", "collection_viewed"] as const;
export type StorefrontEvent = (typeof STOREFRONT_EVENTS)[number];

export type Clause =
  | { kind: "tags"; negated: boolean; tag: string }
  | { kind: "metafield"; text: string }
  | { kind: "number"; attribute: "number_of_orders" | "amount_spent"; op: CompareOp | "BETWEEN"; values: number[] }
  | {
      kind: "event";
      family: "shopify_email" | "storefront_event";
      event: string;
      negated: boolean;
      ids: number[] | null;
      date: DateCondition | null;
    };

export type SegmentExpr = { kind: "and" | "or"; parts: SegmentExpr[] } | { kind: "clause"; clause: Clause };

export class SegmentQueryError extends Error {}

const MAX_CLAUSES = 10;
const MAX_IDS = 500;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push(ch);
      i++;
    } else if (ch === "'") {
      let j = i + 1;
      let text = "'";
      while (j < query.length && query.charAt(j) !== "'") {
        if (query.charAt(j) === "\\" && j + 1 < query.length) j++;
        text += query.charAt(j);
        j++;
      }
      if (j >= query.length) throw new SegmentQueryError("Query is invalid: unterminated string");
      tokens.push(`${text}'`);
      i = j + 1;
    } else if (/[=!<>]/.test(ch)) {
      const two = query.slice(i, i + 2);
      const op = two === "!=" || two === ">=" || two === "<=" ? two : ch;
      if (op === "!") throw new SegmentQueryError("Query is invalid: unexpected '!'");
      tokens.push(op);
      i += op.length;
    } else {
      const m = /^[A-Za-z0-9_.+:-]+/.exec(query.slice(i));
      if (!m) throw new SegmentQueryError(`Query is invalid: unexpected '${ch}'`);
      tokens.push(m[0]);
      i += m[0].length;
    }
  }
  return tokens;
}

const COMPARE_OPS: readonly string[] = ["=", "!=", ">", ">=", "<", "<="];

function parseDateValue(token: string | undefined): DateValue {
  if (token === "today") return { kind: "offset", amount: 0, unit: "d" };
  if (token === "yesterday") return { kind: "offset", amount: -1, unit: "d" };
  const offset = token ? /^([+-])(\d{1,4})([dwmy])$/.exec(token) : null;
  if (offset?.[1] && offset[2] && offset[3]) {
    const unit = offset[3];
    if (unit !== "d" && unit !== "w" && unit !== "m" && unit !== "y") throw new SegmentQueryError("bad unit");
    return { kind: "offset", amount: (offset[1] === "-" ? -1 : 1) * Number(offset[2]), unit };
  }
  if (token && /^\d{4}-\d{2}-\d{2}$/.test(token) && !Number.isNaN(Date.parse(`${token}T00:00:00Z`)))
    return { kind: "absolute", day: token };
  throw new SegmentQueryError(`Query is invalid: '${token ?? ""}' is not a valid date`);
}

class Parser {
  private pos = 0;
  clauses = 0;
  constructor(
    private readonly tokens: string[],
    private readonly knownFilters: ReadonlySet<string>,
  ) {}

  peek(): string | undefined {
    return this.tokens[this.pos];
  }
  next(): string | undefined {
    return this.tokens[this.pos++];
  }
  expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new SegmentQueryError(`Query is invalid: expected '${token}', got '${got ?? "end"}'`);
  }
  done(): boolean {
    return this.pos >= this.tokens.length;
  }

  parseOr(): SegmentExpr {
    const parts = [this.parseAnd()];
    while (this.peek() === "OR") {
      this.next();
      parts.push(this.parseAnd());
    }
    return parts.length === 1 && parts[0] ? parts[0] : { kind: "or", parts };
  }

  parseAnd(): SegmentExpr {
    const parts = [this.parsePrimary()];
    while (this.peek() === "AND") {
      this.next();
      parts.push(this.parsePrimary());
    }
    return parts.length === 1 && parts[0] ? parts[0] : { kind: "and", parts };
  }

  parsePrimary(): SegmentExpr {
    if (this.peek() === "(") {
      this.next();
      const inner = this.parseOr();
      this.expect(")");
      return inner;
    }
    this.clauses++;
    if (this.clauses > MAX_CLAUSES) throw new SegmentQueryError(`Query is invalid: too many clauses (>${MAX_CLAUSES})`);
    return { kind: "clause", clause: this.parseClause() };
  }

  private parseClause(): Clause {
    const attribute = this.next() ?? "";
    if (attribute === "customer_tags") {
      let negated = false;
      if (this.peek() === "NOT") {
        this.next();
        negated = true;
      }
      this.expect("CONTAINS");
      const value = this.next() ?? "";
      if (!/^'[^']{1,255}'$/.test(value)) throw this.invalid(`customer_tags CONTAINS ${value}`);
      return { kind: "tags", negated, tag: value.slice(1, -1) };
    }
    if (/^metafields\.[a-z0-9_-]{3,255}\.[a-z0-9_-]{2,64}$/.test(attribute)) {
      const op = this.next() ?? "";
      const value = this.next() ?? "";
      if (!COMPARE_OPS.includes(op) || !/^(?:'[^']{0,255}'|-?\d+(?:\.\d+)?)$/.test(value))
        throw this.invalid(`${attribute} ${op} ${value}`);
      return { kind: "metafield", text: `${attribute} ${op} ${value}` };
    }
    if (attribute === "number_of_orders" || attribute === "amount_spent") {
      const number = attribute === "number_of_orders" ? /^\d+$/ : /^\d+(?:\.\d+)?$/;
      const op = this.next() ?? "";
      if (op === "BETWEEN") {
        const a = this.next() ?? "";
        this.expect("AND");
        const b = this.next() ?? "";
        if (!number.test(a) || !number.test(b)) throw this.invalid(`${attribute} BETWEEN ${a} AND ${b}`);
        return { kind: "number", attribute, op, values: [Number(a), Number(b)] };
      }
      const value = this.next() ?? "";
      if (!isCompareOp(op) || !number.test(value)) throw this.invalid(`${attribute} ${op} ${value}`);
      return { kind: "number", attribute, op, values: [Number(value)] };
    }
    const fn = /^(shopify_email|storefront_event)\.([a-z_]+)$/.exec(attribute);
    if (fn?.[1] && fn[2])
      return this.parseEvent(attribute, fn[1] === "shopify_email" ? "shopify_email" : "storefront_event", fn[2]);
    throw new SegmentQueryError(`Query is invalid: '${attribute}' filter cannot be found`);
  }

  private parseEvent(attribute: string, family: "shopify_email" | "storefront_event", event: string): Clause {
    const events: readonly string[] = family === "shopify_email" ? EMAIL_EVENTS : STOREFRONT_EVENTS;
    if (!events.includes(event) || !this.knownFilters.has(attribute))
      throw new SegmentQueryError(`Query is invalid: '${attribute}' filter cannot be found`);
    let negated = false;
    if (this.peek() === "NOT") {
      this.next();
      negated = true;
    }
    if (this.peek() !== "MATCHES")
      throw new SegmentQueryError(
        `Query is invalid: '${attribute}' is a function: use ${attribute} MATCHES (…) or NOT MATCHES (…)`,
      );
    this.next();
    this.expect("(");
    const idParam = family === "shopify_email" ? "activity_id" : "id";
    let ids: number[] | null = null;
    let date: DateCondition | null = null;
    const seen = new Set<string>();
    while (this.peek() !== ")") {
      if (seen.size > 0) this.expect(",");
      const name = this.next() ?? "";
      if (seen.has(name))
        throw new SegmentQueryError(`Query is invalid: parameter '${name}' can only be used once per MATCHES filter`);
      seen.add(name);
      if (name === idParam) ids = this.parseIds(name);
      else if (name === "date") date = this.parseDateCondition();
      else throw new SegmentQueryError(`Query is invalid: '${name}' is not a parameter of ${attribute}`);
    }
    this.next();
    return { kind: "event", family, event, negated, ids, date };
  }

  private parseIds(name: string): number[] {
    const op = this.next();
    const id = (t: string | undefined) => {
      if (!t || !/^\d{1,20}$/.test(t)) throw new SegmentQueryError(`Query is invalid: '${t ?? ""}' is not an ID`);
      return Number(t);
    };
    if (op === "=") return [id(this.next())];
    if (op !== "IN") throw new SegmentQueryError(`Query is invalid: ${name} takes = or IN`);
    this.expect("(");
    const ids = [id(this.next())];
    while (this.peek() === ",") {
      this.next();
      ids.push(id(this.next()));
    }
    this.expect(")");
    if (ids.length > MAX_IDS) throw new SegmentQueryError(`Query is invalid: a list can contain up to ${MAX_IDS} IDs`);
    return ids;
  }

  private parseDateCondition(): DateCondition {
    const op = this.next() ?? "";
    if (op === "BETWEEN") {
      const from = parseDateValue(this.next());
      this.expect("AND");
      return { op, from, to: parseDateValue(this.next()) };
    }
    if (!isCompareOp(op)) throw new SegmentQueryError(`Query is invalid: '${op}' is not a date operator`);
    return { op, value: parseDateValue(this.next()) };
  }

  private invalid(text: string): SegmentQueryError {
    return new SegmentQueryError(`Query is invalid: '${text}' is not a valid condition`);
  }
}

function isCompareOp(op: string): op is CompareOp {
  return COMPARE_OPS.includes(op);
}

/** Every filter the emulator can evaluate or validate; event filters only where the shop has them. */
export function filterNames(withEngagement: boolean): string[] {
  return [
    "customer_tags",
    "number_of_orders",
    "amount_spent",
    ...(withEngagement
      ? [...EMAIL_EVENTS.map((e) => `shopify_email.${e}`), ...STOREFRONT_EVENTS.map((e) => `storefront_event.${e}`)]
      : []),
  ];
}

export function parseSegmentQuery(query: string, knownFilters: ReadonlySet<string>): SegmentExpr {
  if (query.trim() === "") throw new SegmentQueryError("Query can't be blank");
  if (query.length > 5000) throw new SegmentQueryError("Query is too long");
  if (/\)\s*=\s*(true|false)\b/.test(query))
    throw new SegmentQueryError(
      "Query is invalid: '= true'/'= false' on a function is no longer supported, use MATCHES / NOT MATCHES",
    );
  const parser = new Parser(tokenize(query), knownFilters);
  const expr = parser.parseOr();
  if (!parser.done()) throw new SegmentQueryError(`Query is invalid: unexpected '${parser.peek() ?? ""}'`);
  return expr;
}

/** The local calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

function resolveDay(value: DateValue, today: string): string {
  if (value.kind === "absolute") return value.day;
  const d = new Date(`${today}T00:00:00Z`);
  if (value.unit === "d") d.setUTCDate(d.getUTCDate() + value.amount);
  else if (value.unit === "w") d.setUTCDate(d.getUTCDate() + 7 * value.amount);
  else if (value.unit === "m") d.setUTCMonth(d.getUTCMonth() + value.amount);
  else d.setUTCFullYear(d.getUTCFullYear() + value.amount);
  return d.toISOString().slice(0, 10);
}

/** Whether an event's local day satisfies the date condition (whole days, as Shopify's date operators do). */
export function dayMatches(day: string, condition: DateCondition, today: string): boolean {
  if (condition.op === "BETWEEN")
    return day >= resolveDay(condition.from, today) && day <= resolveDay(condition.to, today);
  const ref = resolveDay(condition.value, today);
  switch (condition.op) {
    case "=":
      return day === ref;
    case "!=":
      return day !== ref;
    case ">":
      return day > ref;
    case ">=":
      return day >= ref;
    case "<":
      return day < ref;
    case "<=":
      return day <= ref;
  }
}

/** One recorded engagement event of a customer. */
export interface EngagementEvent {
  at: Date;
  /** Marketing activity id (email events) or product id (storefront events). */
  subjectId: number;
}

/** What a query can ask about a customer. */
export interface SegmentFacts {
  tags: readonly string[];
  numberOfOrders: number;
  amountSpent: number;
  events: (family: "shopify_email" | "storefront_event", event: string) => readonly EngagementEvent[];
}

function compare(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
  }
}

export function evaluateSegment(expr: SegmentExpr, facts: SegmentFacts, today: string, timeZone: string): boolean {
  if (expr.kind !== "clause")
    return expr.kind === "and"
      ? expr.parts.every((p) => evaluateSegment(p, facts, today, timeZone))
      : expr.parts.some((p) => evaluateSegment(p, facts, today, timeZone));
  const c = expr.clause;
  switch (c.kind) {
    case "tags": {
      // List<String> conditions "are NOT case-sensitive".
      const has = facts.tags.some((t) => t.toLowerCase() === c.tag.toLowerCase());
      return c.negated ? !has : has;
    }
    case "metafield":
      throw new Error("evaluating metafield conditions is not implemented by the emulator");
    case "number": {
      const v = c.attribute === "number_of_orders" ? facts.numberOfOrders : facts.amountSpent;
      const [a = 0, b = 0] = c.values;
      return c.op === "BETWEEN" ? v >= a && v <= b : compare(v, c.op, a);
    }
    case "event": {
      const ids = c.ids;
      const date = c.date;
      const hit = facts
        .events(c.family, c.event)
        .some(
          (e) =>
            (ids === null || ids.includes(e.subjectId)) &&
            (date === null || dayMatches(localDay(e.at, timeZone), date, today)),
        );
      return c.negated ? !hit : hit;
    }
  }
}
