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
  const buffer = Buffer.allocUnsafe(20 + n * (4 + width));
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  // Header: dimensions, has-nulls flag, element type, then (length, lower bound) of the one dimension.
  view.setInt32(0, 1);
  view.setInt32(4, 0);
  view.setInt32(8, elementOid);
  view.setInt32(12, n);
  view.setInt32(16, 1);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? NaN;
    view.setInt32(at, width);
    if (width === 8) view.setFloat64(at + 4, v);
    else {
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)
        throw new RangeError(`int4 array element ${i} is not a 32-bit whole number: ${v}`);
      view.setInt32(at + 4, v);
    }
    at += 4 + width;
  }
  return buffer as BinaryArray;
}

export const float8Array = (values: ArrayLike<number>) => encode(values, FLOAT8_OID, 8);
export const int4Array = (values: ArrayLike<number>) => encode(values, INT4_OID, 4);
