import { isUtf8 } from 'node:buffer';

/** The size limit of every file read as text, unless the user raises it (max-file-size). */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1 when all bytes are valid. */
export function invalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    const next = bytes[i + 1] ?? 0;
    if (
      (b === 0xe0 && next < 0xa0) ||
      (b === 0xed && next > 0x9f) ||
      (b === 0xf0 && next < 0x90) ||
      (b === 0xf4 && next > 0x8f)
    )
      return i;
    i += length;
  }
  return -1;
}

/** Text of a file's bytes, or why it is not text: binary (a NUL byte), or not UTF-8 (with the place). */
export function decode(bytes: Buffer): { text: string } | { problem: string; line: number; column: number } {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { problem: 'a binary file (it holds NUL bytes), not YAML', ...place(bytes, nul) };
  const bad = isUtf8(bytes) ? -1 : invalidUtf8(bytes);
  if (bad !== -1)
    return {
      problem: 'not valid UTF-8 (GitHub reads workflows as UTF-8); re-save it as UTF-8',
      ...place(bytes, bad),
    };
  return { text: bytes.toString('utf8') };
}

function place(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset);
  const line = before.filter((b) => b === 10).length + 1;
  const lineStart = before.lastIndexOf(10) + 1;
  return { line, column: new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1 };
}
