/**
 * A request body as text, or null once it passes maxBytes (declared or streamed). Over the cap it stops reading but
 * does not cancel: cancelling destroys the socket before the 413 is written. The paused stream holds at most its
 * buffer, and the caller's Connection: close ends the socket after the answer.
 */
export async function readCapped(request: Request, maxBytes: number): Promise<string | null> {
  return (await readCappedBytes(request, maxBytes))?.toString("utf8") ?? null;
}

/** The same, as the raw bytes (a webhook's HMAC is over them). */
export async function readCappedBytes(request: Request, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
