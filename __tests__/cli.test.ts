import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import '@microsoft/jest-sarif';
import { runCli, type CliIo } from '../src/cli.js';
import { freshBundle } from './bundle.js';
import { describeWithCorpus } from './corpus.js';
import { loadPolicy } from '../src/policy/load.js';
import { formatSummary } from '../src/report/summary.js';
import { cliAt, CORPUS, REPO, ROOT, scanAt } from './helpers.js';

const cli = (args: string[], cwd = REPO): { code: number; out: string; err: string } => cliAt(cwd, args);

describe('CLI', () => {
  it('prints the JSON contract with paths relative to the current directory', () => {
    const { code, out } = cli(['--format', 'json', '.github/workflows/action-key.yml']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.version).toBe(1);
    expect(Object.keys(json.routes[0]).sort()).toEqual(
      [
        'file',
        'job',
        'step',
        'line',
        'column',
        'invocation',
        'label',
        'route',
        'credential',
        'shadowed',
        'endpoint',
        'certainty',
        'opaque',
        'outcomes',
        'reason',
        'headless',
        'verdict',
        'intended',
        'via',
        'hops',
        'callers',
      ].sort(),
    );
    expect(json.routes[0].file).toBe('.github/workflows/action-key.yml');
    expect(json.findings).toEqual([]);
  });

  it('exits 1 on findings at or above --fail-on and 0 with never', () => {
    expect(cli(['.github/workflows/misnamed.yml']).code).toBe(1);
    expect(cli(['.github/workflows/misnamed.yml', '--fail-on', 'never']).code).toBe(0);
  });

  it('scans .github/workflows and .github/actions by default', () => {
    const json = JSON.parse(cli(['--format', 'json', '--fail-on', 'never']).out);
    expect(json.routes.some((r: { file: string }) => r.file.startsWith('.github/actions/'))).toBe(true);
    expect(json.routes.some((r: { file: string }) => r.file.startsWith('.github/workflows/'))).toBe(true);
  });

  it('exits 2 with a clear message on usage errors and missing paths', () => {
    const missing = cli(['no/such/file.yml']);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('claude-route-guard: no/such/file.yml: no such file or folder');
    expect(cli(['--format', 'xml']).code).toBe(2);
    expect(cli(['--fail-on', 'sometimes']).code).toBe(2);
    expect(cli(['--bogus']).code).toBe(2);
    expect(cli([], ROOT + '/src').err).toContain('no .github/workflows or .github/actions folder');
  });

  it('answers -h/--help and -V/--version as other command-line tools do', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(cli(['-V'])).toEqual({ code: 0, out: version, err: '' });
    expect(cli(['--version'])).toEqual({ code: 0, out: version, err: '' });
    // Code scanning shows the tool version from SARIF: src/version.ts must follow package.json there too.
    const sarif = JSON.parse(cli(['--format', 'sarif', '.github/workflows/action-key.yml']).out) as {
      runs: { tool: { driver: { version: string } } }[];
    };
    expect(sarif.runs[0]!.tool.driver.version).toBe(version);
    const help = cli(['-h']);
    expect(help.code).toBe(0);
    expect(help.out).toBe(cli(['--help']).out);
    for (const flag of [
      '--format',
      '--config',
      '--fail-on',
      '--max-file-size',
      '--runtime',
      '--list-rules',
      '--explain',
      '-h, --help',
      '-V, --version',
    ])
      expect(help.out).toContain(flag);
  });

  it('answers an unknown or incomplete option with one line and a suggestion, not the whole usage', () => {
    expect(cli(['--formt', 'json'])).toEqual({
      code: 2,
      out: '',
      err: 'claude-route-guard: unknown option --formt (did you mean "--format"?); --help lists the options',
    });
    expect(cli(['--fail-one=never']).err).toBe(
      'claude-route-guard: unknown option --fail-one (did you mean "--fail-on"?); --help lists the options',
    );
    expect(cli(['-x']).err).toBe('claude-route-guard: unknown option -x; --help lists the options');
    expect(cli(['--format'])).toEqual({
      code: 2,
      out: '',
      err: 'claude-route-guard: --format needs a value: one of text, json, sarif, github',
    });
  });

  it('says a missing or wrong flag value in its own words, one line, with the nearest valid value', () => {
    const err = (args: string[]): string => {
      const run = cli(args);
      expect([run.code, run.out]).toEqual([2, '']);
      return run.err;
    };
    expect(err(['--fail-on', 'warnings'])).toBe(
      'claude-route-guard: --fail-on must be one of error, warning, notice, never, not "warnings" (did you mean "warning"?)',
    );
    expect(err(['--format', 'jsno'])).toBe(
      'claude-route-guard: --format must be one of text, json, sarif, github, not "jsno" (did you mean "json"?)',
    );
    expect(err(['--explain'])).toBe(
      'claude-route-guard: --explain needs a value: a rule id (--list-rules lists them)',
    );
    // The next option is not taken for the value: Node calls that ambiguous, over three lines.
    expect(err(['--explain', '--format', 'json'])).toBe(
      'claude-route-guard: --explain needs a value: a rule id (--list-rules lists them)',
    );
    expect(err(['--compact=yes'])).toBe(
      'claude-route-guard: --compact takes no value; --help lists the options',
    );
  });

  it('refuses --runtime with a format or paths it cannot honour, instead of printing text', () => {
    for (const format of ['sarif', 'github']) {
      const refused = cli(['--runtime', '--format', format]);
      expect(refused.code).toBe(2);
      expect(refused.out).toBe('');
      expect(refused.err).toBe(
        `claude-route-guard: --runtime prints text or json, not ${format}: its findings are about this machine, not lines of a file`,
      );
    }
    expect(cli(['--runtime', '.github/workflows']).err).toBe(
      'claude-route-guard: --runtime checks this machine and takes no paths or --config (got .github/workflows)',
    );
    expect(cli(['--runtime', '--config', 'p.yml']).code).toBe(2);
    const asJson = cli(['--runtime', '--format', 'json', '--fail-on', 'never']);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.out)).toMatchObject({ version: 1 });
  });

  it('reports a file that is not a workflow as an error with a position', () => {
    const { code, out } = cli(['--format', 'json', '../not-a-workflow.yml']);
    expect(code).toBe(1);
    expect(JSON.parse(out).findings).toEqual([
      expect.objectContaining({
        rule: 'parse-error',
        severity: 'error',
        line: 1,
        column: 1,
        file: '../not-a-workflow.yml',
      }),
    ]);
  });

  it('reports broken YAML at the position of the error', () => {
    const { out } = cli(['--format', 'json', '../broken.yml']);
    const [finding] = JSON.parse(out).findings;
    expect(finding).toMatchObject({ rule: 'parse-error', line: 4, column: 14 });
    expect(finding.message).toBe(
      'YAML syntax error: Nested mappings are not allowed in compact mappings. Fix the YAML; GitHub will reject this file too.',
    );
  });

  it('prints each finding as a headline, the snippet with a caret, and help wrapped to the width', () => {
    const { out } = cli(['.github/workflows/misnamed.yml']);
    // The headline is wrapped, not cut, and the help holds only the rest: nothing is said twice.
    expect(out).toContain(
      [
        '.github/workflows/misnamed.yml:6:15: error[headless-without-api-route]: Job `wrong-name` runs Claude',
        '    Code headlessly (anthropics/claude-code-action@v1) with no API-side credential, so it fails: a',
        '    GitHub-hosted runner has no stored login to fall back on.',
        '    6 |       - uses: anthropics/claude-code-action@v1',
        '      |               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  help: Pass `anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}` (or a cloud provider or workload',
        '        identity).',
      ].join('\n'),
    );
    expect(out.split('\n')[0]).toBe('1 Claude Code run in 1 of 1 file scanned');
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });
});

describe('the text report fits the terminal', () => {
  const EXAMPLES = join(ROOT, 'examples');
  const text = (args: string[], io: Partial<Pick<CliIo, 'env' | 'tty'>> = {}): string => {
    let out = '';
    runCli(['--fail-on', 'never', ...args], {
      cwd: EXAMPLES,
      stdout: (t) => (out += t),
      stderr: () => {},
      ...io,
    });
    return out;
  };
  const widest = (out: string): number =>
    Math.max(
      ...out.split('\n').map(
        (l) =>
          l
            .split('\u001b[')
            .map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, '')))
            .join('').length,
      ),
    );

  it('keeps every line within COLUMNS when stdout is not a terminal, else within 100', () => {
    expect(widest(text([], { env: { COLUMNS: '120' } }))).toBeLessThanOrEqual(120);
    expect(widest(text([], { env: { COLUMNS: '80' } }))).toBeLessThanOrEqual(80);
    expect(widest(text([], { env: {} }))).toBeLessThanOrEqual(100);
    // A terminal's own width wins over COLUMNS.
    expect(widest(text([], { env: { COLUMNS: '200' }, tty: { columns: 80 } }))).toBeLessThanOrEqual(80);
  });

  it('counts runs in files with runs out of files scanned, sorts findings by severity, shows reasons', () => {
    const out = text([], { env: { COLUMNS: '120' } });
    // Nine rows, seven places: the reusable workflow's and the composite's runs are each one place with
    // the row of the job that calls it.
    expect(out.split('\n')[0]).toBe(
      '7 Claude Code runs in 8 of 9 files scanned, shown as 9 rows (one per place and route)',
    );
    const severities = out
      .split('\n')
      .flatMap((l) => /^\S+:\d+:\d+: (error|warning|notice)\[/.exec(l)?.[1] ?? []);
    expect(severities).toEqual(['error', 'error', 'warning', 'warning']);
    expect(out).toContain("    intended: Personal repository; the owner's Max plan pays for this on purpose");
    expect(out).toContain(
      '    credential: CLAUDE_CODE_USE_BEDROCK <- written in the file (step, .github/actions/run-claude/action.yml:12:34)',
    );
  });

  it('counts runs and files as the job summary does', () => {
    const report = scanAt(EXAMPLES, [], loadPolicy(EXAMPLES, undefined));
    // Nine rows, seven places: the reusable workflow's and the composite's runs each count once.
    expect(formatSummary(report, {}).split('\n')[2]).toBe(
      '7 Claude Code runs in 8 of 9 files scanned, shown as 9 rows (one per place and route): 2 error(s), 2 warning(s), 0 notice(s).',
    );
    expect(text([], { env: { COLUMNS: '120' } }).split('\n')[0]).toBe(
      '7 Claude Code runs in 8 of 9 files scanned, shown as 9 rows (one per place and route)',
    );
  });

  it('shows a headline whole on a wide terminal, wrapped rather than cut, and never repeats it as help', () => {
    const lines = text([], { tty: { columns: 200 }, env: { NO_COLOR: '1' } }).split('\n');
    const at = lines.indexOf(
      '.github/workflows/release-notes.yml:7:11: error[headless-without-api-route]: Job `notes` runs Claude Code headlessly (./.github/workflows/reusable-claude.yml → anthropics/claude-code-action@v1) with',
    );
    expect(lines.slice(at, at + 7)).toEqual([
      '.github/workflows/release-notes.yml:7:11: error[headless-without-api-route]: Job `notes` runs Claude Code headlessly (./.github/workflows/reusable-claude.yml → anthropics/claude-code-action@v1) with',
      '    no API-side credential (secret ANTHROPIC_API_KEY is not passed by the caller, so it is empty), so it fails: a GitHub-hosted runner has no stored login to fall back on.',
      '    7 |     uses: ./.github/workflows/reusable-claude.yml',
      '      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      '    via .github/workflows/reusable-claude.yml:15:15: the run: anthropics/claude-code-action@v1',
      '  help: Pass the secret to the reusable workflow: `secrets: { ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" }` on the calling job.',
      '',
    ]);
    expect(lines.some((l) => l.includes('…'))).toBe(false);
  });

  it('shortens 40-hex pins to 7 characters and wraps long credential details under the row', () => {
    let out = '';
    runCli(['--fail-on', 'never'], {
      cwd: join(ROOT, '__tests__', 'fixtures', 'layout'),
      env: { COLUMNS: '80' },
      stdout: (t) => (out += t),
      stderr: () => {},
    });
    expect(out).toContain('    run: anthropics/claude-code-action@1c8b699\n');
    expect(out).not.toMatch(/[0-9a-f]{40}/);
    expect(widest(out)).toBeLessThanOrEqual(80);
    expect(out).toMatch(
      /\n {4}credential: ANTHROPIC_API_KEY <- secrets\.ANTHROPIC_API_KEY \|\|\n {16}secrets\./,
    );
  });

  it('gives one line per finding with --compact, and colour only on a terminal without NO_COLOR', () => {
    const compact = text(['--compact'], { env: {} }).split('\n');
    // Most severe first, each finding on its own line.
    expect(compact.map((line) => /^[^ ]+ \w+\[[\w-]+\]/.exec(line)?.[0])).toEqual([
      '.github/workflows/nightly.yml:10:32: error[subscription-token-in-ci]',
      '.github/workflows/release-notes.yml:7:11: error[headless-without-api-route]',
      '.github/workflows/nightly.yml:16:11: warning[unbounded-spend]',
      '.github/workflows/reusable-claude.yml:15:15: warning[unbounded-spend]',
    ]);
    expect(compact[0]).toMatch(
      /^\.github\/workflows\/nightly\.yml:10:32: error\[subscription-token-in-ci\]: Job `report` bills .*claude-route-guard\.yml\.$/,
    );
    expect(text([], { env: {} })).not.toContain('\u001b[');
    expect(text([], { env: {}, tty: { columns: 120 } })).toContain('\u001b[31merror\u001b[0m');
    expect(text([], { env: { NO_COLOR: '1' }, tty: { columns: 120 } })).not.toContain('\u001b[');
  });
});

describe('bundled CLI read by a program that stops early', () => {
  it('ends quietly when `| head` closes the pipe, with no stack trace', () => {
    // The fixtures' JSON report is over half a megabyte, far more than a pipe holds.
    const run = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${freshBundle('cli')}" --format json --fail-on never . | head -c 10 > /dev/null`,
      ],
      { encoding: 'utf8', cwd: join(ROOT, '__tests__', 'fixtures') },
    );
    expect(run.status).toBe(0);
    // Only the closing note on the fixtures' calls of other repositories' workflows: no stack trace.
    expect(run.stderr).toBe(
      'claude-route-guard: note: 9 call(s) of reusable workflows in other repositories were not followed; --resolve-remote reads them through the GitHub API (with GITHUB_TOKEN or GH_TOKEN for private ones)\n',
    );
  });
});

describeWithCorpus('bundled CLI on the real corpus', () => {
  const real = join(CORPUS, 'real');
  let run: { status: number | null; stdout: string; stderr: string };
  let json: { routes: { file: string; job: string; route: string }[]; findings: { rule: string }[] };
  beforeAll(() => {
    run = spawnSync(process.execPath, [freshBundle('cli'), '--format', 'json', '--fail-on', 'never', real], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    json = JSON.parse(run.stdout) as typeof json;
  });

  it('runs without node_modules-only code paths and exits cleanly', () => {
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('internal error');
  });

  it('gives a route to every job that uses the official action or runs claude -p', () => {
    const files = readdirSync(real).filter((f) => /\.ya?ml$/.test(f));
    const expected = files.filter((f) => {
      const text = readFileSync(join(real, f), 'utf8');
      return (
        /^\s*-?\s*uses:\s*anthropics\/claude-code-(base-)?action[@/]/m.test(text) ||
        /^\s+(\S+\s+)?claude\s+(-p|--print)\b/m.test(text)
      );
    });
    expect(expected.length).toBeGreaterThan(60);
    const withRoutes = new Set(json.routes.map((r) => r.file.split('/').pop()));
    expect(expected.filter((f) => !withRoutes.has(f))).toEqual([]);
    for (const r of json.routes)
      expect(r.route).toMatch(
        /^(api-key|workload-identity|bedrock|vertex|foundry|gateway-token|api-key-helper|subscription-oauth-token|subscription-login|unknown)$/,
      );
  });
});

describe('CLI SARIF', () => {
  it('is valid against the official SARIF 2.1.0 schema, related locations included', () => {
    const { out } = cli([
      '--format',
      'sarif',
      '--fail-on',
      'never',
      '.github/workflows/action-oauth-shadowed.yml',
      '.github/workflows/lookalikes.yml',
    ]);
    const log = JSON.parse(out) as { runs: { results: { relatedLocations?: unknown[] }[] }[] };
    expect(log.runs[0]!.results.some((r) => (r.relatedLocations ?? []).length > 0)).toBe(true);
    (expect(log) as unknown as { toBeValidSarifLog(): void }).toBeValidSarifLog();
  });

  it('prints the same SARIF the action writes', () => {
    const { code, out } = cli(['--format', 'sarif', '--fail-on', 'never', '.github/workflows/misnamed.yml']);
    expect(code).toBe(0);
    const sarif = JSON.parse(out) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual([
      'headless-without-api-route',
      'misnamed-credential-input',
    ]);
  });
});
