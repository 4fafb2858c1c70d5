import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import { splitMessage } from '../src/report/text.js';
import { FIXTURES, REPO } from './helpers.js';

/** Workflows whose snippets hold plain YAML words and redacted values on the line of a finding. */
const SNIPPETS = join(FIXTURES, 'snippets');

/** The text report as a terminal of `columns` characters shows it. */
function report(cwd: string, args: string[], columns = 100): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(['--fail-on', 'never', ...args], {
    cwd,
    env: { COLUMNS: String(columns) },
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  }) as number;
  return { code, out, err };
}

/** The table's rows (or the lines that open each run when no table fits): not the details under them. */
function runLines(out: string): string[] {
  const lines = out.split('\n');
  // The header may take two lines; the table starts after the blank line under it.
  const start = lines.indexOf('') + 1;
  return lines.slice(start, lines.indexOf('', start)).filter((l) => !l.startsWith('    '));
}

describe('the route table at the terminal’s width', () => {
  const RUNS = ['.github/workflows/flow-opaque.yml', '.github/workflows/caller-inherit.yml'];

  it('at 100 columns keeps every route kind and its certainty whole, cutting the path from the left', () => {
    const { out } = report(REPO, RUNS, 100);
    expect(runLines(out)).toEqual([
      'WHERE                      JOB       ROUTE                                VERDICT',
      '…ows/flow-opaque.yml:9:15  remote-…  unknown                              warning: subscription-tok…',
      '…ws/flow-opaque.yml:13:11  remote-…  api-key (inferred)                   ok',
      '…ws/flow-opaque.yml:17:11  inherits  unknown                              ok',
      '…ws/flow-opaque.yml:26:14  program   subscription-oauth-token (inferred)  warning: subscription-tok…',
      '…ws/flow-opaque.yml:32:14  contain…  gateway-token (inferred) via https…  notice: third-party-endpo…',
      '…ws/flow-opaque.yml:44:14  ambient   api-key (inferred)                   ok',
      '…ws/flow-opaque.yml:54:15  docker-…  api-key (inferred)                   ok',
      '…/caller-inherit.yml:4:11  call      api-key                              warning: broad-credential…',
      '…/caller-inherit.yml:7:11  call-ma…  api-key                              ok',
      '…caller-inherit.yml:11:11  call-no…  subscription-login                   error: headless-without-a…',
    ]);
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('shows an endpoint the route column had to cut whole under its row, and no other', () => {
    const { out } = report(REPO, RUNS, 100);
    expect(out).toContain(
      '…ws/flow-opaque.yml:32:14  contain…  gateway-token (inferred) via https…  notice: third-party-endpo…\n' +
        // What the table cut of the place and the job is said whole under the row.
        '    at: .github/workflows/flow-opaque.yml:32:14\n' +
        '    job: container\n' +
        '    run: docker run\n' +
        '    endpoint: https://gateway.example.com\n',
    );
    expect(out.match(/^ {4}endpoint: /gm)).toHaveLength(1);
    // Wide enough for the whole cell, the endpoint is in the table and not repeated.
    const wide = report(REPO, RUNS, 160).out;
    expect(wide).toContain(
      '  gateway-token (inferred) via https://gateway.example.com  notice: third-party-endpoint',
    );
    expect(wide).not.toContain('    endpoint: ');
  });

  it('at 80 columns, where no table fits, opens each run with its whole place, verdict and route', () => {
    const { out } = report(REPO, RUNS, 80);
    expect(runLines(out).slice(0, 4)).toEqual([
      '.github/workflows/flow-opaque.yml:9:15  warning: subscription-token-in-ci',
      '.github/workflows/flow-opaque.yml:13:11  ok',
      '.github/workflows/flow-opaque.yml:17:11  ok',
      '.github/workflows/flow-opaque.yml:26:14  warning: subscription-token-in-ci',
    ]);
    expect(out).toContain(
      '.github/workflows/flow-opaque.yml:26:14  warning: subscription-token-in-ci\n' +
        '    job: program, route: subscription-oauth-token (inferred)\n',
    );
    expect(out).toContain(
      '.github/workflows/caller-inherit.yml:11:11  error: headless-without-api-route\n' +
        '    job: call-nothing, route: subscription-login\n',
    );
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('counts one file as one file', () => {
    // Three jobs call one reusable workflow: three rows, one run (its line in callee.yml).
    expect(report(REPO, ['.github/workflows/caller-inherit.yml']).out.split('\n')[0]).toBe(
      '1 Claude Code run in 1 of 1 file scanned, shown as 3 rows (one per place and route)',
    );
    expect(report(join(FIXTURES, 'mention-only'), ['.github/workflows/paths.yml']).out.split('\n')[0]).toBe(
      'No Claude Code runs in 1 file scanned.',
    );
  });
});

describe('the line quoted under a finding', () => {
  it('shows `secrets: inherit` and `--author=` as written, with the caret under the span', () => {
    const { out } = report(SNIPPETS, ['.github/workflows/plain-words.yml']);
    expect(out).toContain(['    7 |     secrets: inherit', '      |              ^^^^^^^', ''].join('\n'));
    expect(out).toContain(
      [
        '   13 |         run: git log --author=octocat | claude -p "summarise"',
        '      |                                         ^^^^^^',
        '',
      ].join('\n'),
    );
  });

  it('keeps the caret under its span when a value before it on the line is redacted', () => {
    const { out } = report(SNIPPETS, ['.github/workflows/one-line-env.yml'], 200);
    const line =
      '    9 |       - env: { ANTHROPIC_API_KEY: <redacted>, CLAUDE_CODE_OAUTH_TOKEN: "${{ secrets.T }}" }';
    // The key itself (column 35) is `<redacted>`; the token reference (column 91 as written) is
    // `"${{ secrets.T }}"`, 19 columns further left once the 29-character key is 10 characters.
    expect(out).toContain(`${line}\n      | ${' '.repeat(34)}${'^'.repeat(10)}\n`);
    expect(out).toContain(`${line}\n      | ${' '.repeat(71)}${'^'.repeat(18)}\n`);
    expect(out).not.toContain('sk-ant-');
  });

  it('is left out for a binary file, whose bytes would print as escapes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-binary-'));
    writeFileSync(
      join(dir, 'a.yml'),
      Buffer.from('on: push\njobs:\n  a:\n    steps:\n      - run: claude -p x\u001b[31m\u0000\u0007\n'),
    );
    const { out } = report(dir, ['a.yml']);
    expect(out.split('\n').slice(0, 4)).toEqual([
      'No Claude Code runs in 1 file scanned.',
      '',
      'a.yml:5:30: error[parse-error]: This file is a binary file (it holds NUL bytes), not YAML.',
      '',
    ]);
    // Nothing of the file reaches the terminal raw: no escape sequence, no control character.
    expect([...out].filter((c) => c !== '\n' && c < ' ')).toEqual([]);
  });
});

describe('--compact', () => {
  it('is refused with a format it does not lay out', () => {
    const { code, out, err } = report(REPO, ['--compact', '--format', 'json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('claude-route-guard: --compact lays out text only; --format json has no compact form');
  });
});

describe('YAML files that are not workflows or actions', () => {
  it('are named with the reason, each on its own line, after the findings', () => {
    const { out } = report(FIXTURES, ['policy-repo/.github']);
    expect(out.trimEnd().split('\n').slice(-3)).toEqual([
      '1 YAML file(s) skipped, not workflows or actions:',
      '  policy-repo/.github/claude-route-guard.yml: neither a workflow (no `jobs:` or `on:`) nor action',
      '    metadata (no `runs:`)',
    ]);
  });

  it('get one line each with --compact, after the findings', () => {
    const { out } = report(FIXTURES, ['policy-repo/.github', '--compact']);
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'policy-repo/.github/claude-route-guard.yml: skipped: neither a workflow (no `jobs:` or `on:`) nor action metadata (no `runs:`)',
    );
  });
});

describe("a finding's headline", () => {
  it('ends at the first sentence outside brackets and code, never inside a parenthesis', () => {
    expect(
      splitMessage(
        'The composite action may bill `bun run` (it receives ANTHROPIC_API_KEY; its inside was not checked). Use a key.',
      ),
    ).toEqual({
      what: 'The composite action may bill `bun run` (it receives ANTHROPIC_API_KEY; its inside was not checked).',
      help: 'Use a key.',
    });
    expect(splitMessage('Run `claude -p; Then` here; Set it. More.')).toEqual({
      what: 'Run `claude -p; Then` here;',
      help: 'Set it. More.',
    });
    expect(splitMessage('One sentence, e.g. this one')).toEqual({
      what: 'One sentence, e.g. this one',
      help: '',
    });
  });
});
