import { OrderWindow, type CustomerColumns } from "./engine";
import { OrdersCsvError, checkHeader, parseOrderLine } from "./orders-csv";

/**
 * The orders CSV read straight into per-customer columns: bytes are parsed in
 * place (no line strings, no row objects) for the common line shape
 * `id,YYYY-MM-DD,12.34`; any other line — quotes, spaces, timestamps, errors —
 * goes through parseOrderLine, so errors and edge cases are the engine's own.
 * Line numbers follow readline: a line ends at \n, \r\n or a lone \r.
 */
export interface OrdersColumns extends CustomerColumns<number | bigint> {
  customers: number;
  customerId(k: number): string;
  /** Lines read, the header included. */
  lines: number;
  counts: OrderWindow["counts"];
}

/**
 * Money in "float" mode is kept as integer units in a Float64Array, exact up to
 * 2^53 units (≈ 900 billion); past that, reading throws this and the caller
 * reads again in "exact" (bigint) mode.
 */
export class AmountsBeyondFloat extends Error {
  constructor() {
    super("amounts beyond exact float range");
  }
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const FRACTION_SCALE = [10_000, 1_000, 100, 10, 1];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (valid input only). */
function civilDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function digitsAt(buf: Uint8Array, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const b = buf[i] as number;
    if (b < ZERO || b > NINE) return -1;
    v = v * 10 + (b - ZERO);
  }
  return v;
}

/** FNV-1a over bytes [s, e). */
function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h;
}

/** Spreads FNV's low bits (murmur3's finaliser): slots are picked by the low bits. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const SLOT = 4; // hash, index + 1, key start in the arena, key length
const AGGREGATE = 4; // monetary, last order day, frequency, (padding: one aligned half cache line)

/**
 * Customer ids (as UTF-8 bytes) → index 0, 1, … in first-seen order: open
 * addressing over one Int32Array of slots, keys in one byte arena. No string
 * per order; a lookup touches its slot and, when the hash matches, the key.
 */
class CustomerIndex {
  size = 0;
  private slots = new Int32Array(SLOT << 17);
  private starts = new Int32Array((1 << 16) + 1);
  private arena = new Uint8Array(1 << 20);
  private view: Buffer | null = null;

  /** The index of the id in buf[s, e) with that (FNV) hash, or −1 − its free slot. */
  indexOf(buf: Uint8Array, s: number, e: number, fnv: number): number {
    const hash = mix(fnv);
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot * SLOT;
      const entry = slots[at + 1] as number;
      if (entry === 0) return -1 - slot;
      if (slots[at] === hash && slots[at + 3] === e - s) {
        const start = slots[at + 2] as number;
        let i = 0;
        while (i < e - s && this.arena[start + i] === buf[s + i]) i++;
        if (i === e - s) return entry - 1;
      }
    }
  }

  /** Adds the id indexOf did not find, at the free slot it answered. */
  add(buf: Uint8Array, s: number, e: number, fnv: number, missing: number): number {
    const k = this.size++;
    if (k + 1 >= this.starts.length) this.starts = grow(this.starts, this.starts.length * 2);
    const start = this.starts[k] as number;
    if (start + (e - s) > this.arena.length)
      this.arena = grow(this.arena, Math.max(this.arena.length * 2, start + e - s));
    this.arena.set(buf.subarray(s, e), start);
    this.starts[k + 1] = start + (e - s);
    this.slots.set([mix(fnv), k + 1, start, e - s], (-1 - missing) * SLOT);
    if (this.size * 2 > this.slots.length / SLOT) this.rehash();
    return k;
  }

  id(k: number): string {
    if (this.view?.buffer !== this.arena.buffer) this.view = Buffer.from(this.arena.buffer);
    return this.view.toString("utf8", this.starts[k], this.starts[k + 1]);
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    const mask = this.slots.length / SLOT - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + 1] === 0) continue;
      let slot = (old[at] as number) & mask;
      while (this.slots[slot * SLOT + 1] !== 0) slot = (slot + 1) & mask;
      this.slots.set(old.subarray(at, at + SLOT), slot * SLOT);
    }
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(old: T, length: number): T {
  const next = new (old.constructor as new (length: number) => T)(length);
  next.set(old);
  return next;
}

class ColumnsBuilder {
  private readonly index = new CustomerIndex();
  /** Per customer, side by side: an order updates one cache line. */
  private aggregates = new Float64Array(AGGREGATE << 16);
  private readonly exact: bigint[] | null;

  constructor(
    readonly window: OrderWindow,
    money: "float" | "exact",
  ) {
    this.exact = money === "exact" ? [] : null;
  }

  /** One order of the customer whose id is buf[s, e) (UTF-8) with hashBytes `hash`. */
  add(buf: Uint8Array, s: number, e: number, hash: number, day: number, units: number | bigint): void {
    if (!this.window.admit(day)) return;
    let k = this.index.indexOf(buf, s, e, hash);
    const known = k >= 0;
    if (!known) {
      k = this.index.add(buf, s, e, hash, k);
      if (k * AGGREGATE === this.aggregates.length) this.aggregates = grow(this.aggregates, k * AGGREGATE * 2);
    }
    const a = this.aggregates;
    const at = k * AGGREGATE;
    if (!known) {
      a[at + 1] = day;
      a[at + 2] = 1;
    } else {
      if (day > (a[at + 1] as number)) a[at + 1] = day;
      a[at + 2] = (a[at + 2] as number) + 1;
    }
    if (this.exact) {
      const amount = BigInt(units);
      if (known) this.exact[k] = (this.exact[k] as bigint) + amount;
      else this.exact.push(amount);
      return;
    }
    const amount = Number(units);
    const sum = known ? (a[at] as number) + amount : amount;
    if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(sum)) throw new AmountsBeyondFloat();
    a[at] = sum;
  }

  columns(): Omit<OrdersColumns, "lines" | "counts"> {
    const n = this.index.size;
    const a = this.aggregates;
    const lastOrderDay = new Int32Array(n);
    const frequency = new Int32Array(n);
    const monetary = new Float64Array(this.exact ? 0 : n);
    for (let k = 0; k < n; k++) {
      if (!this.exact) monetary[k] = a[k * AGGREGATE] as number;
      lastOrderDay[k] = a[k * AGGREGATE + 1] as number;
      frequency[k] = a[k * AGGREGATE + 2] as number;
    }
    this.aggregates = new Float64Array(0);
    return {
      customers: n,
      customerId: (k) => this.index.id(k),
      lastOrderDay,
      frequency,
      monetary: this.exact ?? monetary,
    };
  }
}

class OrdersParser {
  line = 0;

  constructor(private readonly builder: ColumnsBuilder) {}

  /** One \n-terminated stretch [s, e) of buf, without its \n. */
  segment(buf: Buffer, s: number, end: number): void {
    const e = end > s && buf[end - 1] === CR ? end - 1 : end;
    if (this.line === 0 || !this.fastLine(buf, s, e)) this.slowSegment(buf.toString("utf8", s, e));
  }

  private slowSegment(text: string): void {
    // A lone \r inside ends a line too (as readline has it).
    for (const raw of text.split("\r")) {
      this.line++;
      if (this.line === 1) checkHeader(raw);
      else {
        const row = parseOrderLine(raw, this.line);
        const id = Buffer.from(row.customerId, "utf8");
        this.builder.add(id, 0, id.length, hashBytes(id, 0, id.length), row.day, row.amount);
      }
    }
  }

  /** The common shape, parsed from bytes; false (nothing consumed) for anything else. */
  private fastLine(buf: Buffer, s: number, e: number): boolean {
    let i = s;
    let hash = 0x811c9dc5;
    // customer_id: printable ASCII without quotes (nothing to trim or unquote); hashed as hashBytes does.
    while (i < e) {
      const b = buf[i] as number;
      if (b === COMMA) break;
      if (b <= 32 || b >= 127 || b === QUOTE) return false;
      hash = Math.imul(hash ^ b, 0x01000193);
      i++;
    }
    const idEnd = i;
    if (idEnd === s || idEnd - s > 255) return false;
    // order_date: YYYY-MM-DD (years before 1000 go the general way).
    i++;
    if (i + 11 > e || buf[i + 4] !== MINUS || buf[i + 7] !== MINUS || buf[i + 10] !== COMMA) return false;
    const y = digitsAt(buf, i, 4);
    const mo = digitsAt(buf, i + 5, 2);
    const d = digitsAt(buf, i + 8, 2);
    if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
    const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    if (d > (DAYS_IN_MONTH[mo - 1] as number) + (leap ? 1 : 0)) return false;
    i += 11;
    // amount: -?\d{1,11}(\.\d{1,4})? — longer whole parts go the general (bigint) way.
    const negative = buf[i] === MINUS;
    if (negative) i++;
    let whole = 0;
    const wholeStart = i;
    while (i < e) {
      const b = buf[i] as number;
      if (b < ZERO || b > NINE) break;
      whole = whole * 10 + (b - ZERO);
      i++;
    }
    if (i === wholeStart || i - wholeStart > 11) return false;
    let fraction = 0;
    let fractionDigits = 0;
    if (i < e && buf[i] === DOT) {
      i++;
      while (i < e) {
        const b = buf[i] as number;
        if (b < ZERO || b > NINE) break;
        fraction = fraction * 10 + (b - ZERO);
        fractionDigits++;
        i++;
      }
      if (fractionDigits === 0 || fractionDigits > 4) return false;
    }
    if (i !== e) return false;
    const units = whole * 10_000 + fraction * (FRACTION_SCALE[fractionDigits] as number);
    this.line++;
    this.builder.add(buf, s, idEnd, hash, civilDay(y, mo, d), negative && units !== 0 ? -units : units);
    return true;
  }
}

/** Reads an orders CSV (header first) from byte chunks into per-customer columns, in first-seen order. */
export async function readOrdersColumns(
  chunks: AsyncIterable<Buffer>,
  asOfDay: number,
  windowMonths: number | null,
  money: "float" | "exact",
): Promise<OrdersColumns> {
  const window = new OrderWindow(asOfDay, windowMonths);
  const builder = new ColumnsBuilder(window, money);
  const parser = new OrdersParser(builder);
  let carry: Buffer | null = null;
  for await (const chunk of chunks) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let s = 0;
    for (let nl = buf.indexOf(LF, s); nl >= 0; nl = buf.indexOf(LF, s)) {
      parser.segment(buf, s, nl);
      s = nl + 1;
    }
    carry = s < buf.length ? buf.subarray(s) : null;
  }
  if (carry) parser.segment(carry, 0, carry.length);
  if (parser.line === 0) throw new OrdersCsvError(1, "the file is empty (no header)");
  return { ...builder.columns(), lines: parser.line, counts: window.counts };
}
