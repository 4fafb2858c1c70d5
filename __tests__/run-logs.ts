import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './helpers.js';

/** Logs made at test time from the fixture logs: a canary in every text field, and one of tens of megabytes. */

const RUNS = join(FIXTURES, 'runs');

/** A string that must never leave the log, and a log with it in every text field. */
export const CANARY = 'CANARY-5d9e1f';

/** Every string of a fixture log replaced by the canary (keys too when `keys`), but the enums the proof reads. */
export function canaryLog(fixture: string, keys: boolean): string {
  const KEEP = new Set(['type', 'subtype', 'apiKeySource', 'provider', 'status']);
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && KEEP.has(key) && !keys ? v : `${CANARY} ${v}`;
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [keys && !KEEP.has(k) ? `${CANARY}${k}` : k, walk(x, k)]),
      );
    return v;
  };
  const text = readFileSync(join(RUNS, fixture), 'utf8');
  const messages = fixture.endsWith('.jsonl')
    ? text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown)
    : (JSON.parse(text) as unknown[]);
  return JSON.stringify(
    messages.map((m) => walk(m)),
    null,
    2,
  );
}

/**
 * An execution file as a long run writes it: init, then assistant/tool-result pairs of about 64 KiB of
 * tool output each up to `bytes`, a rate-limit event and the result. Returns how many messages it holds.
 */
export function makeBigLog(path: string, bytes: number): number {
  const block = 'x'.repeat(64 * 1024);
  const pieces = [
    '[\n',
    JSON.stringify({
      type: 'system',
      subtype: 'init',
      apiKeySource: 'none',
      claude_code_version: '2.1.262',
      session_id: 's',
    }),
  ];
  let size = pieces.join('').length;
  let pairs = 0;
  while (size < bytes) {
    const a = JSON.stringify({
      type: 'assistant',
      message: {
        role: 'assistant',
        content: [{ type: 'tool_use', id: `t${pairs}`, name: 'Bash', input: { command: 'cat big.txt' } }],
      },
    });
    const u = JSON.stringify({
      type: 'user',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${pairs}`, content: block }] },
    });
    pieces.push(',\n', a, ',\n', u);
    size += a.length + u.length + 4;
    pairs++;
  }
  pieces.push(',\n', JSON.stringify({ type: 'rate_limit_event', rate_limit_info: { status: 'allowed' } }));
  pieces.push(
    ',\n',
    JSON.stringify({
      type: 'result',
      subtype: 'success',
      is_error: false,
      num_turns: pairs * 2,
      modelUsage: { 'claude-sonnet-4-6': { inputTokens: 1, outputTokens: 1, provider: 'firstParty' } },
    }),
    '\n]\n',
  );
  writeFileSync(path, pieces.join(''));
  return pairs * 2 + 3;
}
