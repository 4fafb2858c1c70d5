import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../src/scan.js';
import type { Finding } from '../src/types.js';
import { describeWithCorpus, rebuild } from './corpus.js';
import { runCli } from '../src/cli.js';
import { formatSummary } from '../src/report/summary.js';
import { FIXTURES, scanAt } from './helpers.js';
import { blankOrUnnamed, okBesideError } from './report-checks.js';

describeWithCorpus('the real corpus, rebuilt into its repositories’ trees', () => {
  const { root, files } = rebuild('real');
  const scanned = [...files].map(([project, paths]) => {
    const cwd = join(root, project);
    return { project, cwd, report: scanAt(cwd, paths) };
  });

  it('puts every finding on non-blank text of the file that holds it', () => {
    const { checked, wrong } = blankOrUnnamed(scanned);
    expect(checked).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('never says ok beside an error on the row’s own credential', () => {
    const { withCredential, wrong } = okBesideError(scanned);
    expect(withCredential).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });
});

describe('a run behind a reusable workflow and a composite action', () => {
  const repo = join(FIXTURES, 'wrapped-repo');
  // Scanned in each test, so a mutation run ties each mutant to the tests that see it.
  const report = (): Report =>
    scanAt(repo, [
      '.github/workflows/review.yml',
      '.github/workflows/review-shared.yml',
      '.github/actions/run-claude/action.yml',
    ]);
  const tokenFindings = (): Finding[] =>
    report().findings.filter((f) => f.rule === 'subscription-token-in-ci');

  it('reports the token in the file and on the line that passes it, with every hop related', () => {
    const token = tokenFindings();
    // The callees' own findings read alone (an OAuth token in the one slot each wires) are settled by
    // the caller in the scan, which gives them one route: the token it passes.
    expect(token.map((f) => [f.file, f.span.line, f.span.column, f.span.endColumn])).toEqual([
      ['.github/workflows/review.yml', 7, 14, 52],
    ]);
    expect(token[0]!.related!.map((r) => [r.file, r.span.line, r.span.column, r.label])).toEqual([
      ['.github/actions/run-claude/action.yml', 15, 9, 'passed on as CLAUDE_CODE_OAUTH_TOKEN'],
      ['.github/workflows/review.yml', 5, 11, 'the Claude run it bills'],
      ['.github/workflows/review-shared.yml', 14, 15, 'calls ./.github/actions/run-claude'],
      ['.github/actions/run-claude/action.yml', 13, 13, 'the run: anthropics/claude-code-action@v1'],
    ]);
  });

  it('labels the route with every hop and keeps the hops on the row', () => {
    const row = report().routes.find((r) => r.file === '.github/workflows/review.yml')!;
    expect(row.label).toBe(
      './.github/workflows/review-shared.yml → ./.github/actions/run-claude → anthropics/claude-code-action@v1',
    );
    expect(row.hops.map((h) => `${h.file}:${h.line}:${h.column}`)).toEqual([
      '.github/workflows/review.yml:5:11',
      '.github/workflows/review-shared.yml:14:15',
      '.github/actions/run-claude/action.yml:13:13',
    ]);
    expect(row.verdict).toBe('error: subscription-token-in-ci');
  });
});

describe('an inline ignore at the finding’s own position', () => {
  it('silences a finding about a run behind wrappers, and counts as used', () => {
    const report = scanAt(join(FIXTURES, 'wrapped-repo'), ['.github/workflows/review-ignored.yml']);
    expect(report.findings.map((f) => `${f.file}:${f.span.line} ${f.rule}`)).toEqual([]);
    expect(report.routes.map((r) => r.verdict)).toEqual(['ok']);
  });
});

describe('the text snippet of a finding', () => {
  it('shows a plain-text key as <redacted>, with the caret under it', () => {
    let out = '';
    runCli(['--fail-on', 'never'], {
      cwd: join(FIXTURES, 'verdicts'),
      env: {},
      stdout: (t) => (out += t),
      stderr: () => {},
    });
    expect(out).not.toContain('sk-ant-');
    expect(out).toContain(
      '    8 |       ANTHROPIC_API_KEY: <redacted>\n      |                          ^^^^^^^^^^\n',
    );
  });
});

describe('one verdict per run, the worst finding that concerns it', () => {
  it('counts a plain-text key and a step that prints the key against the run', () => {
    const report = scanAt(join(FIXTURES, 'verdicts'), []);
    expect(report.routes.map((r) => [r.job, r.line, r.column, r.verdict])).toEqual([
      ['plain-key', 10, 14, 'error: hardcoded-credential'],
      ['prints-key', 18, 14, 'error: credential-exposed-in-log'],
    ]);
    expect(report.findings.map((f) => [f.rule, f.span.line, f.span.column])).toEqual([
      ['hardcoded-credential', 8, 26],
      ['credential-exposed-in-log', 17, 19],
    ]);
  });
});

describe('the job summary', () => {
  it('links a finding to every place that explains it, hops included', () => {
    const report = scanAt(join(FIXTURES, 'wrapped-repo'), ['.github/workflows/review.yml']);
    const blob = 'https://github.com/octo/repo/blob/abc123/';
    const line = formatSummary(report, { blob })
      .split('\n')
      .find((l) => l.includes('**subscription-token-in-ci**'))!;
    expect(line).toMatch(
      /^- \[<code>\.github\/workflows\/review\.yml:7:14<\/code>\]\(https:\/\/github\.com\/octo\/repo\/blob\/abc123\/\.github\/workflows\/review\.yml#L7\)/,
    );
    expect(line).toContain(
      `(see [<code>.github/actions/run-claude/action.yml:15</code>](${blob}.github/actions/run-claude/action.yml#L15) passed on as CLAUDE_CODE_OAUTH_TOKEN; ` +
        `[<code>.github/workflows/review.yml:5</code>](${blob}.github/workflows/review.yml#L5) the Claude run it bills; ` +
        `[<code>.github/workflows/review-shared.yml:14</code>](${blob}.github/workflows/review-shared.yml#L14) calls ./.github/actions/run-claude; ` +
        `[<code>.github/actions/run-claude/action.yml:13</code>](${blob}.github/actions/run-claude/action.yml#L13) the run: anthropics/claude-code-action@\u200bv1)`,
    );
  });
});

describe('a run spelt with escapes in a double-quoted string', () => {
  it('sits on the escape that spells its first letter, after escapes of one and two UTF-16 units', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-escapes-'));
    const lines = [
      'on: push',
      'jobs:',
      '  review:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: "echo \\x41 && \\x63laude -p hi"',
      '      - run: "\\U0001F600 && \\u0063laude -p \\',
      '          hi"',
      '      - run: "echo hi && \\',
      '          \\x63laude -p hi"',
      '',
    ];
    writeFileSync(join(dir, 'escapes.yml'), lines.join('\n'));
    const report = scanAt(dir, ['escapes.yml']);
    expect(report.routes.map((r) => [r.line, r.column, r.label])).toEqual([
      [6, 28, expect.stringContaining('claude')],
      [7, 29, expect.stringContaining('claude')],
      [10, 11, expect.stringContaining('claude')],
    ]);
  });
});
