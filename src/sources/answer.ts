/**
 * An HTTP answer's body read with a running byte count: a declared length over the cap is refused before
 * reading, and a chunked answer that declares none is cut as soon as it passes the cap, so a server
 * cannot make a run hold more than `limit` bytes of it.
 */
export type Answer = { bytes: Buffer } | { over: true } | { cut: true };

export async function readAnswer(response: Response, limit: number): Promise<Answer> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return { over: true };
  }
  if (!response.body) return { bytes: Buffer.alloc(0) };
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return { over: true };
      }
      chunks.push(Buffer.from(value));
    }
  } catch {
    // The connection closed or the request's signal (its timeout, the run's deadline) ended it.
    return { cut: true };
  }
  return { bytes: Buffer.concat(chunks) };
}
