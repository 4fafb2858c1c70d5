import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log, Run } from 'sarif';
import { runCli } from '../src/cli.js';
import type { Report } from '../src/scan.js';
import { formatSummary } from '../src/report/summary.js';
import { BEHAVIOUR } from './behaviour.js';
import { FIXTURES, scanAt } from './helpers.js';

/** File names and job ids a pull request author chose, each aimed at one output channel. */
const NAMES = join(FIXTURES, 'behaviour-names');

/**
 * The fixture two-jobs.yml under a name with `,`, `%` and `:`, each of which ends a workflow-command
 * property; written at run time, since `:` cannot be in a file name on every system that clones this.
 */
function hostileNamed(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'crg-names-'));
  const file = '.github/workflows/a,b%c:d.yml';
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  copyFileSync(join(NAMES, '.github', 'workflows', 'two-jobs.yml'), join(dir, file));
  return { dir, file };
}

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  let out = '';
  runCli(['--fail-on', 'never', ...args], {
    cwd,
    env: { COLUMNS: '400', ...env },
    stdout: (t) => (out += t),
    stderr: (t) => (out += t),
  });
  return out;
}

describe('annotations on the pull request (--format github)', () => {
  it('escapes the file name and title as properties and the message as data', () => {
    const { dir, file } = hostileNamed();
    const lines = cli(dir, ['--format', 'github', file]).split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf('::', 2) + 2))).toEqual([
      '::error file=.github/workflows/a%2Cb%25c%3Ad.yml,line=15,endLine=15,col=36,endColumn=74,title=claude-route-guard%3A subscription-token-in-ci::',
      '::warning file=.github/workflows/a%2Cb%25c%3Ad.yml,line=6,endLine=6,col=32,endColumn=70,title=claude-route-guard%3A shadowed-credential::',
      '::notice file=.github/workflows/a%2Cb%25c%3Ad.yml,line=16,endLine=16,col=14,endColumn=20,title=claude-route-guard%3A unbounded-spend::',
    ]);
  });

  it('cannot be ended early by a line break or a percent sign in a name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-names-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'workflows', 'new\nline.yml'),
      'on: push\njobs:\n  "100%\\r\\nsure":\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n' +
        '      - env:\n          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n        run: claude -p "x"\n',
    );
    const out = cli(dir, ['--format', 'github']);
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toMatch(
      /^::error file=\.github\/workflows\/new%0Aline\.yml,line=8,endLine=8,col=36,endColumn=52,title=claude-route-guard%3A subscription-token-in-ci::Job `100%25%0D%0Asure` bills claude -p /,
    );
  });

  it('spends GitHub’s ten annotations per severity on errors first, and counts what is left out', () => {
    const lines = cli(BEHAVIOUR, ['--format', 'github', '.github/workflows/many-findings.yml']).split('\n');
    const errors = lines.filter((l) => l.startsWith('::error '));
    const notices = lines.filter((l) => l.startsWith('::notice '));
    expect(lines.slice(0, 10)).toEqual(errors);
    // The first ten jobs' tokens, in file order: lines 7, 13, ... 61.
    expect(errors.map((l) => /line=(\d+)/.exec(l)![1])).toEqual(
      Array.from({ length: 10 }, (_, k) => String(7 + 6 * k)),
    );
    // One notice slot is kept for the note, or GitHub would drop the note itself.
    expect(notices).toHaveLength(9);
    expect(lines).toHaveLength(20);
    // No job summary here (GITHUB_STEP_SUMMARY is not set): the note says where the rest can be read.
    expect(lines[19]).toBe(
      '::notice::5 finding(s) are not annotated because GitHub shows at most 10 per severity and 50 per job; claude-route-guard --format text lists them all.',
    );
  });

  it('in a run: step, adds the route table and every finding to the job summary, and the note points there', () => {
    const temp = mkdtempSync(join(tmpdir(), 'crg-runner-temp-'));
    const summary = join(temp, '_runner_file_commands', 'step_summary_1');
    mkdirSync(join(temp, '_runner_file_commands'));
    writeFileSync(summary, '# an earlier step\n');
    const file = '.github/workflows/many-findings.yml';
    const env = { GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: temp };
    const lines = cli(BEHAVIOUR, ['--format', 'github', file], env).split('\n');
    expect(lines[19]).toBe(
      '::notice::5 finding(s) are not annotated because GitHub shows at most 10 per severity and 50 per job; the job summary lists them all.',
    );
    const written = readFileSync(summary, 'utf8');
    // Added after what the job wrote before, as the action adds its own: the same Markdown for the same scan.
    expect(written).toBe(`# an earlier step\n${formatSummary(scanAt(BEHAVIOUR, [file]), {})}\n`);
    expect(written).toContain('### Errors (12)');
    expect(written).toContain('### Notices (12)');
  });

  it('never writes the job summary through a symbolic link or outside the runner temp folder and workspace', () => {
    const temp = mkdtempSync(join(tmpdir(), 'crg-runner-temp-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'crg-elsewhere-'));
    const target = join(elsewhere, 'victim');
    writeFileSync(target, 'untouched\n');
    symlinkSync(target, join(temp, 'step_summary_1'));
    symlinkSync(elsewhere, join(temp, '_runner_file_commands'));
    const file = '.github/workflows/many-findings.yml';
    for (const [path, why] of [
      [join(temp, 'step_summary_1'), 'it is a symbolic link'],
      [join(temp, '_runner_file_commands', 'victim'), 'a symbolic link is on its way'],
      [target, `it is outside ${temp} and ${BEHAVIOUR}`],
    ] as const) {
      const out = cli(BEHAVIOUR, ['--format', 'github', file], {
        GITHUB_STEP_SUMMARY: path,
        RUNNER_TEMP: temp,
      });
      expect(out).toContain(`claude-route-guard: the job summary was not written: ${why}`);
      expect(out).toContain('per job; claude-route-guard --format text lists them all.');
    }
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
  });
});

describe('code scanning (--format sarif)', () => {
  const sarif = (): Run => {
    const { dir, file } = hostileNamed();
    return (JSON.parse(cli(dir, ['--format', 'sarif', file])) as Log).runs[0]!;
  };

  it('places each result at the exact span, most severe first, relative to the checkout', () => {
    const run = sarif();
    expect(run.results!.map((r) => [r.ruleId, r.level, r.locations![0]!.physicalLocation!.region])).toEqual([
      ['subscription-token-in-ci', 'error', { startLine: 15, startColumn: 36, endLine: 15, endColumn: 74 }],
      ['shadowed-credential', 'warning', { startLine: 6, startColumn: 32, endLine: 6, endColumn: 70 }],
      ['unbounded-spend', 'note', { startLine: 16, startColumn: 14, endLine: 16, endColumn: 20 }],
    ]);
    for (const r of run.results!) {
      expect(r.locations![0]!.physicalLocation!.artifactLocation).toEqual({
        // Percent-encoded per segment: `%` and a `:` that could read as a scheme stay the file's own.
        uri: '.github/workflows/a%2Cb%25c%3Ad.yml',
        uriBaseId: '%SRCROOT%',
      });
      // The index points at the rule's own descriptor.
      expect(run.tool.driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
    }
  });

  it('links each result to the run it concerns', () => {
    const run = sarif();
    expect(run.results![0]!.relatedLocations).toEqual([
      {
        id: 0,
        message: { text: 'the Claude run it bills' },
        physicalLocation: {
          artifactLocation: { uri: '.github/workflows/a%2Cb%25c%3Ad.yml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 16, startColumn: 14, endLine: 16, endColumn: 20 },
        },
      },
    ]);
  });

  it('describes every rule with its level and documentation', () => {
    const run = sarif();
    const rule = run.tool.driver.rules!.find((r) => r.id === 'subscription-token-in-ci')!;
    expect(rule.name).toBe('SubscriptionTokenInCi');
    expect(rule.defaultConfiguration).toEqual({ level: 'error' });
    expect(rule.helpUri).toMatch(/\/docs\/rules\/subscription-token-in-ci\.md$/);
    expect(run.tool.driver.rules!.find((r) => r.id === 'unbounded-spend')!.defaultConfiguration).toEqual({
      level: 'note',
    });
  });
});

describe('names from the pull request in each output channel', () => {
  const report = (): Report => scanAt(NAMES, ['.github/workflows/channels.yml']);

  it('are inert Markdown in the job summary: no table break, mention, link, HTML or emphasis', () => {
    const rows = formatSummary(report(), {})
      .split('\n')
      .filter((l) => l.startsWith('| <code>'));
    const jobCells = rows.map((r) => r.split(' | ')[1]);
    expect(jobCells[0]).toBe(
      'a&#124;b @\u200bx &lt;b&gt;y&lt;/b&gt; #\u200b1 www\u200b.x.io http:\u200b//x.io &#42;e&#42; &#126;s&#126; &#91;l&#93;(u) &#96;c&#96; &#92;',
    );
    // Controls and bidirectional overrides become blanks.
    expect(jobCells[1]).toBe(' &#91;2J#\u200b#\u200b&#91;error&#93;x  ');
  });

  it('copy exactly out of a code span: a uses: line or a suggested fix pastes with no invisible character', () => {
    const examples = join(FIXTURES, '..', '..', 'examples');
    const summary = formatSummary(scanAt(examples, []), {});
    // What a browser shows inside <code>, and so what a reader copies: the entities as characters.
    const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
    const copied = [...summary.matchAll(/<code>(.*?)<\/code>/g)].map((m) =>
      m[1]!.replace(/&(?:#(\d+)|(amp|lt|gt));/g, (_, code?: string, name?: string) =>
        code ? String.fromCharCode(Number(code)) : entities[name!]!,
      ),
    );
    expect(copied).toContain('anthropics/claude-code-action@v1');
    expect(copied).toContain('./.github/actions/run-claude → npx @anthropic-ai/claude-code -p');
    expect(copied).toContain('secrets: { ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" }');
    expect(copied.filter((c) => /[\u200b\u2060]/.test(c))).toEqual([]);
    // Outside code spans a mention is still broken, as before.
    expect(summary).toContain(
      'bills anthropics/claude-code-action@\u200bv1 to a personal Claude subscription',
    );
  });

  it('are cut at 300 characters in a summary cell, counted as a reader counts them', () => {
    const cells = formatSummary(report(), {})
      .split('\n')
      .filter((l) => l.startsWith('| <code>'))
      .map((r) => r.split(' | ')[1]!);
    expect(cells[2]).toBe('a'.repeat(300));
    expect(cells[3]).toBe(`${'b'.repeat(300)}…`);
    expect(cells[4]).toBe('\u{1F600}'.repeat(300));
  });

  it('show escape sequences and workflow commands as visible text in the terminal', () => {
    const out = cli(NAMES, ['--format', 'text', '.github/workflows/channels.yml']);
    for (const raw of ['\u001b', '\u0085', '\u202e']) expect(out).not.toContain(raw);
    expect(out).toContain('Job `\\x1b[2J#\u2060#[error]x\\u202e\\x85` bills claude -p');
  });

  it('keep JSON readable and never a runner command', () => {
    const out = cli(NAMES, ['--format', 'json', '.github/workflows/channels.yml']);
    expect(out).not.toContain('##[');
    const json = JSON.parse(out) as { routes: { job: string }[] };
    expect(json.routes[1]!.job).toBe('\u001b[2J##[error]x\u202e\u0085');
  });
});

describe('credentials on a quoted source line', () => {
  it('are replaced by <redacted>, while references to them stay', () => {
    const quoted = cli(BEHAVIOUR, ['--format', 'text', '.github/workflows/redaction.yml'])
      .split('\n')
      .filter((l) => /^\s+\d+ \|/.test(l))
      .map((l) => l.trim());
    expect(quoted).toEqual([
      `8 |       - run: ANTHROPIC_API_KEY=<redacted> claude -p "x" --password='<redacted>' https://bob:<redacted>@example.com <redacted> <redacted> token:$KEPT`,
      `9 |       - run: ANTHROPIC_API_KEY="<redacted>" claude -p "y" api_key=,next secret="" <redacted>`,
    ]);
  });
});
