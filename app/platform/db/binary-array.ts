/**
 * int4[] and float8[] parameters in PostgreSQL's binary array format (array_recv): node-postgres sends a Buffer
 * parameter as binary, so a column of numbers costs a byte copy instead of a decimal string per element (JavaScript's
 * shortest float printing and the server's parsing dominated storing 400 000 tuple forecasts). Exact for every
 * float8. Only for files run with pgRows/pgExecute (a header param marked `binary`); Prisma would send it as bytea.
 */
declare const binary: unique symbol;
export type BinaryArray = Buffer & { readonly [binary]: true };

const INT4_OID = 23;
const FLOAT8_OID = 701;

function encode(values: ArrayLike<number>, elementOid: number, width: 4 | 8): BinaryArray {
  const n = values.length;
  // Header: dimensions, has-nulls flag, element type, then (length, lower bound) of the one dimension.
  const buffer = Buffer.allocUnsafe(20 + n * (4 + width));
  buffer.writeInt32BE(1, 0);
  buffer.writeInt32BE(0, 4);
  buffer.writeInt32BE(elementOid, 8);
  buffer.writeInt32BE(n, 12);
  buffer.writeInt32BE(1, 16);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? NaN;
    buffer.writeInt32BE(width, at);
    if (width === 8) buffer.writeDoubleBE(v, at + 4);
    else {
      if (!Number.isInteger(v)) throw new RangeError(`int4 array element ${i} is not a whole number: ${v}`);
      buffer.writeInt32BE(v, at + 4);
    }
    at += 4 + width;
  }
  return buffer as BinaryArray;
}

export const float8Array = (values: ArrayLike<number>) => encode(values, FLOAT8_OID, 8);
export const int4Array = (values: ArrayLike<number>) => encode(values, INT4_OID, 4);
