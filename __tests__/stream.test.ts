import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import { jsonPieces, Mapped } from '../src/report/stream.js';
import { REPO } from './helpers.js';

describe('JSON in pieces', () => {
  const value = {
    schema: 'x',
    none: undefined,
    empty: [],
    nothing: {},
    list: [1, undefined, 'two\nlines', { deep: [{ deeper: [null, true] }], skip: undefined }, []],
    text: 'a "quoted" ##[x] \u2028 string',
  };

  it('joins to exactly what JSON.stringify writes with two spaces, at every depth', () => {
    const expected = JSON.stringify(value, null, 2);
    for (let depth = 0; depth <= 6; depth++) {
      expect([...jsonPieces(value, depth)].join('')).toBe(expected);
    }
  });

  it('makes a mapped list’s entries as it writes them', () => {
    const made: number[] = [];
    const pieces = jsonPieces(
      { items: new Mapped([1, 2, 3], (n) => (made.push(n), { n })), empty: new Mapped([], (n) => n) },
      2,
    );
    const first = pieces.next().value as string;
    expect(first).toBe('{');
    expect(made).toEqual([]);
    const rest = [...pieces].join('');
    expect(made).toEqual([1, 2, 3]);
    expect(first + rest).toBe(JSON.stringify({ items: [{ n: 1 }, { n: 2 }, { n: 3 }], empty: [] }, null, 2));
  });
});

/** A folder whose report is far larger than one write: many files, each with a subscription token. */
function manyFindings(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crg-stream-'));
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  for (let i = 0; i < 150; i++) {
    writeFileSync(
      // A name with `##[` checks that each write is escaped for the runner log on its own.
      join(dir, '.github', 'workflows', i === 0 ? 'review-##[group].yml' : `review-${i}.yml`),
      [
        'on: pull_request',
        'jobs:',
        '  review:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          claude_code_oauth_token: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}',
        '          prompt: "##[group] review"',
        '',
      ].join('\n'),
    );
  }
  return dir;
}

describe('the CLI writes a large report as it is made', () => {
  const dirs = [manyFindings(), REPO];
  for (const format of ['json', 'sarif', 'text', 'github']) {
    it(`--format ${format}: the raw writes join to the text io.stdout gets, plus its line break`, () => {
      for (const cwd of dirs) {
        const args = ['--format', format, '--fail-on', 'never', '.'];
        let whole = '';
        runCli(args, { cwd, stdout: (t) => (whole += t), stderr: () => undefined });
        const writes: string[] = [];
        let lines = '';
        runCli(args, {
          cwd,
          stdout: (t) => (lines += t.endsWith('\n') || t === '' ? t : `${t}\n`),
          write: (t) => writes.push(t),
          stderr: () => undefined,
        });
        expect(writes.join('') + lines).toBe(whole.endsWith('\n') || whole === '' ? whole : `${whole}\n`);
        if (cwd !== REPO && format === 'json') expect(whole).toMatch(/review-#(\\u0023|#)/);
        // SARIF names files by URI, each segment percent-encoded: no `#` is left to escape.
        if (cwd !== REPO && format === 'sarif') expect(whole).toContain('review-%23%23%5Bgroup%5D.yml');
        if (cwd !== REPO && ['json', 'text'].includes(format)) expect(writes.length).toBeGreaterThan(2);
      }
    });
  }
});
