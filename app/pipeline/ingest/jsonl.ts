/**
 * Splits a byte stream into lines without holding more than one chunk and
 * one partial line, whatever the size of the file.
 */
export async function* jsonlLines(source: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let rest: Buffer | null = null;
  for await (const chunk of source) {
    const buf: Buffer = rest
      ? Buffer.concat([rest, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1) break;
      if (nl > start) yield buf.toString("utf8", start, nl);
      start = nl + 1;
    }
    rest = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
  }
  if (rest && rest.length > 0) yield rest.toString("utf8");
}
