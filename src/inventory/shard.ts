import { UsageError } from '../load.js';

/** The share `index` of `count` (1-based), as `--shard I/N` names it. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string, name = '--shard'): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new UsageError(`${name} must be I/N with 1 <= I <= N (such as 2/3), not "${text}"`);
  return { index, count };
}

/** FNV-1a over the name's UTF-8 bytes: the same number on every machine and in every listing order. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** Whether a repository falls in the shard: by its name (GitHub's names ignore case), never its place in a list. */
export function inShard(name: string, shard: Shard | undefined): boolean {
  return !shard || hash(name.toLowerCase()) % shard.count === shard.index - 1;
}
