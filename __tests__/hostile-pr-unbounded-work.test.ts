/**
 * Small files cannot cost unbounded work: nesting, self-calls, fan-out, aliases, printf, process
 * substitutions, long lines, globs and SARIF's caps.
 */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { MAX_EXPANSIONS, MAX_RUNS, SCAN_SHARE_PER_FILE } from '../src/claude/invocations.js';
import { MAX_ALIASED_CHARACTERS } from '../src/workflow/model.js';
import { PRINTF_BUDGET } from '../src/flow/shell-effects.js';
import { globMatches } from '../src/policy/policy.js';
import { SARIF_GZIP_LIMIT, SARIF_RESULT_LIMIT, sarifLog, sarifOutput } from '../src/report/sarif.js';
import type { Log } from 'sarif';
import { gzipSync } from 'node:zlib';
import type { Finding } from '../src/types.js';
import { takeWork, type Work } from '../src/meter.js';
import { claudeEnvLines } from '../src/workflow/claude-env.js';
import { workspace, cli } from './hostile-pr.js';
import type { Report } from '../src/scan.js';

type JsonReport = Report;

describe('small files cannot cost unbounded work', () => {
  /** Scans a fresh workspace in-process; returns the report and the work the scan counted (src/meter.ts). */
  function measured(files: Record<string, string>, args: string[] = []): { report: JsonReport; work: Work } {
    const ws = workspace({}, files);
    takeWork();
    const run = cli(ws, ['--format', 'json', '--fail-on', 'never', ...args]);
    return { report: JSON.parse(run.stdout) as JsonReport, work: takeWork() };
  }
  const job = (steps: string): string =>
    `on: push\njobs:\n  j:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n${steps}`;
  const KEYED = '        env:\n          ANTHROPIC_API_KEY: ${{ secrets.K }}\n';

  /** Findings as the JSON report writes them: with their line, not a span. */
  const jsonFindings = (
    report: JsonReport,
  ): { rule: string; file: string; line: number; message: string }[] =>
    report.findings as unknown as { rule: string; file: string; line: number; message: string }[];

  it('"$( nested 5,000 deep is bounded and the other files keep their findings', () => {
    const deep = 'echo ' + '"$('.repeat(5000) + 'x' + ')"'.repeat(5000);
    const { report, work } = measured({
      '.github/workflows/deep.yml': job(
        `      - run: |\n          ${deep}\n          claude -p hi\n${KEYED}`,
      ),
      '.github/workflows/plain.yml': job(
        '      - run: claude -p hi\n        env:\n          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n',
      ),
    });
    // The script is read once, and again by each of the 16 levels of `$(` the reader follows; past those,
    // and past 200 levels of quotes, the rest is one opaque word. Unbounded, 5,000 levels overflowed the stack.
    expect(work.shellCharacters).toBeLessThanOrEqual(17 * (deep.length + '\nclaude -p hi\n'.length));
    expect(report.findings.map((f) => [f.file, f.rule])).toContainEqual([
      '.github/workflows/plain.yml',
      'subscription-token-in-ci',
    ]);
  });

  it('a script, a composite action and a reusable workflow that call themselves are followed once', () => {
    const { report, work } = measured({
      '.github/workflows/a.yml': job('      - run: bash ./s.sh\n      - uses: ./.github/actions/self\n'),
      's.sh': 'bash ./s.sh\n./s.sh\n'.repeat(30) + 'claude -p hi\n',
      '.github/actions/self/action.yml':
        'runs:\n  using: composite\n  steps:\n' +
        '    - uses: ./.github/actions/self\n'.repeat(30) +
        '    - run: claude -p hi\n      shell: bash\n',
      '.github/workflows/r.yml':
        'on: [push, workflow_call]\njobs:\n' +
        Array.from({ length: 30 }, (_, i) => `  j${i}:\n    uses: ./.github/workflows/r.yml\n`).join(''),
    });
    // a.yml follows s.sh and the action once each; no self-call is followed, so no budget is spent.
    expect(work.expansions).toBe(2);
    expect(report.findings.filter((f) => f.rule === 'parse-error')).toEqual([]);
    // Each self-call is noted where it is written, and followed no further.
    const selfCalls = new Set(
      report.unresolved.filter((u) => u.message.includes('calls itself')).map((u) => u.file),
    );
    expect([...selfCalls].sort()).toEqual([
      '.github/actions/self/action.yml',
      '.github/workflows/r.yml',
      's.sh',
    ]);
  });

  it('a wide fan-out of calls stops at the budget with a finding on that file', () => {
    // Each call hands a value of its own, made of the one it was handed, so no call can take another's
    // answer (callee-memo.ts).
    const calls = (next: string, indent: string, from = ''): string =>
      Array.from(
        { length: 20 },
        (_, i) =>
          `${indent}- uses: ./.github/actions/${next}\n${indent}  with:\n${indent}    n: ${from}${i}\n`,
      ).join('');
    const layer = (next: string): string =>
      'inputs:\n  n: {}\nruns:\n  using: composite\n  steps:\n' +
      calls(next, '    ', '${{ inputs.n }}-') +
      '    - run: claude -p hi\n      shell: bash\n';
    const { report, work } = measured({
      '.github/workflows/a.yml': job(calls('l1', '      ')),
      '.github/actions/l1/action.yml': layer('l2'),
      '.github/actions/l2/action.yml': layer('l3'),
      '.github/actions/l3/action.yml': layer('l4'),
      '.github/actions/l4/action.yml':
        'inputs:\n  n: {}\nruns:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n',
    });
    // a.yml spends its own 200 (the scan's 220 leave 20); l1 then spends its share and the 20 left, l2
    // and l3 their shares, and l4 calls nothing: the scan's budget stops them where their own would not.
    expect(work.expansions).toBe(MAX_EXPANSIONS + 4 * SCAN_SHARE_PER_FILE.expansions);
    const stopped = jsonFindings(report).filter((f) => f.rule === 'parse-error');
    // Each where its walk stopped, inside the callees (one finding per place: l1's and l2's walks stopped
    // at the same call in l3).
    expect(stopped.map((f) => `${f.file}:${f.line} ${f.message.slice(0, 12)}`)).toEqual([
      '.github/actions/l2/action.yml:60 The scan has',
      '.github/actions/l3/action.yml:30 This file re',
      '.github/actions/l3/action.yml:63 The scan has',
    ]);
    expect(new Set(stopped.map((f) => f.message))).toEqual(
      new Set([
        `This file reaches more than ${MAX_EXPANSIONS} calls to reusable workflows, local actions and scripts, so the scan stopped following them here; runs further down are not checked.`,
        `The scan has followed as many calls to reusable workflows, local actions and scripts as its files allow (${MAX_EXPANSIONS}, and ${SCAN_SHARE_PER_FILE.expansions} more for each file), so it stopped following them here; runs further down are not checked.`,
      ]),
    );
    // Every call past the budget is an unknown row; none is dropped.
    expect(
      report.routes.filter((r) => r.reason?.includes('budget of calls was spent')).length,
    ).toBeGreaterThan(0);
  });

  it('an anchored env reused by 1,000 steps grows linearly with the steps', () => {
    const env = Array.from({ length: 30 }, (_, i) => `  V${i}: \${{ secrets.S${i} }}\n`).join('');
    const anchored = (steps: number): { report: JsonReport; work: Work } =>
      measured({
        '.github/workflows/a.yml':
          `on: push\nenvdef: &e\n${env}  ANTHROPIC_API_KEY: \${{ secrets.K }}\n` +
          'jobs:\n  j:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n' +
          Array.from({ length: steps }, (_, i) => `      - run: claude -p ${i}\n        env: *e\n`).join(''),
      });
    const small = anchored(100);
    const large = anchored(1000);
    // Ten times the steps, at most ten times the work in every count (and the step numbers' digits).
    for (const count of Object.keys(small.work) as (keyof Work)[])
      expect([count, large.work[count] <= 11 * small.work[count]]).toEqual([count, true]);
    // Each step's 31 entries are parsed at most once (credential-exposed-in-log reads each step's own);
    // the credential flow takes them from its cache, where a parse per alias cost twice the time.
    expect(large.work.expressionsParsed).toBeLessThanOrEqual(31 * 1000);
    expect(small.report.routes).toHaveLength(100);
    expect(large.report.routes).toHaveLength(1000);
    expect(large.report.routes[999]).toMatchObject({ route: 'api-key', line: 2037 });
  });

  /** A workflow whose jobs, steps, scripts and env come from nested anchors: `jobs` repeats `steps` repeats `step`. */
  const nested = (jobs: number, steps: number, scriptLines: number, envEntries: number): string => {
    const env = Array.from({ length: envEntries }, (_, i) => `    V${i}: \${{ secrets.S${i} }}\n`).join('');
    return (
      `on: push\nenvdef: &e\n${env}    ANTHROPIC_API_KEY: \${{ secrets.K }}\n` +
      `stepdef: &s\n  run: |\n${'    claude -p hi --model x\n'.repeat(scriptLines)}  env: *e\n` +
      `stepsdef: &ss\n${'  - *s\n'.repeat(steps)}` +
      'jobdef: &j\n  runs-on: x\n  timeout-minutes: 5\n  steps: *ss\n' +
      `jobs:\n${Array.from({ length: jobs }, (_, i) => `  j${i}: *j\n`).join('')}`
    );
  };

  it('5 KB of nested aliases that stand for 40 MB of steps are refused by their expanded size', () => {
    const bomb = nested(50, 390, 40, 60);
    expect(bomb.length).toBeLessThan(6 * 1024);
    // Under the cap on jobs and steps (50 jobs of 390 steps), yet 780,000 runs: it once took minutes and 3 GB.
    const { report, work } = measured({ '.github/workflows/a.yml': bomb });
    expect(report.routes).toEqual([]);
    expect(jsonFindings(report).map((f) => [f.rule, f.line, f.message])).toEqual([
      [
        'parse-error',
        1,
        `this file expands, through YAML aliases, to more than ${MAX_ALIASED_CHARACTERS} characters, more than any real workflow repeats. Fix the YAML; GitHub will reject this file too.`,
      ],
    ]);
    // The model stops at the first alias past the cap: nothing of the file is walked.
    expect(work.aliasedCharacters).toBeLessThanOrEqual(MAX_ALIASED_CHARACTERS + bomb.length);
    expect([work.runs, work.shellCharacters]).toEqual([0, 0]);
  });

  it('aliases that stand for thousands of runs stop at the runs cap, with a finding where the walk stopped', () => {
    const file = nested(2, 100, 40, 60);
    const { report, work } = measured({ '.github/workflows/a.yml': file });
    // 8,000 runs below the expansion cap: the walk stops after 1,000, at the step that would have made more.
    expect(work.runs).toBe(MAX_RUNS);
    expect(report.routes).toHaveLength(MAX_RUNS);
    // Every run is the one anchored step, whose lines hold the finding: each row says the file was cut short.
    expect(new Set(report.routes.map((r) => `${r.route} ${r.verdict}`))).toEqual(
      new Set(['api-key error: parse-error']),
    );
    const stepLine = file.split('\n').indexOf('stepdef: &s') + 2;
    expect(jsonFindings(report).map((f) => [f.rule, f.line, f.message])).toEqual([
      [
        'parse-error',
        stepLine,
        `This file reaches more than ${MAX_RUNS} runs, so the scan stopped here; steps further down are not checked.`,
      ],
    ]);
  });

  it('a settings file read by 500 runs is parsed once, and a file sourced 500 times is read once', () => {
    const sourced = 'export ANTHROPIC_MODEL=x\n'.repeat(100);
    const script = 'source ./env.sh\n'.repeat(500) + 'claude -p hi\n';
    const { report, work } = measured({
      '.github/workflows/a.yml': job(
        '      - run: claude -p hi\n'.repeat(499) +
          `      - run: |\n${script
            .split('\n')
            .filter(Boolean)
            .map((l) => `          ${l}\n`)
            .join('')}`,
      ),
      '.claude/settings.json': JSON.stringify({ env: { ANTHROPIC_API_KEY: '${{ secrets.K }}' } }),
      'env.sh': sourced,
    });
    expect(work.settingsParsed).toBe(1);
    // Each script once, and env.sh once: not 500 times.
    expect(work.shellCharacters).toBeLessThan(
      script.length + 499 * 'claude -p hi\n'.length + 2 * sourced.length,
    );
    expect(report.routes).toHaveLength(500);
  });

  it('verdicts take work linear in runs and findings, not their product', () => {
    const steps = (n: number): string =>
      Array.from(
        { length: n },
        (_, i) =>
          `      - run: echo "ANTHROPIC_API_KEY=sk-ant-api03-${'a'.repeat(20)}${i}" && claude -p ${i}\n`,
      ).join('');
    const { report, work } = measured({ '.github/workflows/a.yml': job(steps(500)) });
    expect(report.routes).toHaveLength(500);
    expect(report.findings).toHaveLength(1000);
    // Each run is judged by its own step's findings: the literal key on its line and its headless run.
    expect(new Set(report.routes.map((r) => r.verdict))).toEqual(
      new Set(['error: headless-without-api-route']),
    );
    expect(new Set(report.findings.map((f) => f.rule))).toEqual(
      new Set(['hardcoded-credential', 'headless-without-api-route']),
    );
    // Checking every finding of the file against every run's lines took 250,000 checks here.
    expect(work.verdictChecks).toBeLessThanOrEqual(20 * (500 + 1000));
  });

  it('a printf to $GITHUB_ENV that repeats a 20 KB format for 20,000 arguments is read to a budget', () => {
    // 65 KB of YAML that would have printf write 400 MB: the CLI once used 7 GB on it and aborted.
    const format = 'CLAUDE_CODE_OAUTH_TOKEN=${{ secrets.T }}\\n' + 'A=1\\n'.repeat(5000) + '%s';
    const args = Array.from({ length: 20000 }, () => 'b').join(' ');
    const { report, work } = measured({
      '.github/workflows/a.yml': job(
        `      - run: printf '${format}' ${args} >> "$GITHUB_ENV"\n      - run: claude -p hi\n`,
      ),
    });
    // About 140 KB: the budget, the format's own words, and the format once more. Unbounded: 400 MB.
    expect(work.printfCharacters).toBeLessThan(3 * PRINTF_BUDGET);
    expect(report.routes).toHaveLength(1);
    // Past the budget, the tail printf writes is run time's: the token still leads, and the route is unknown.
    expect(report.routes[0]).toMatchObject({
      route: 'unknown',
      outcomes: ['subscription-oauth-token'],
      line: 8,
      column: 14,
    });
    expect(report.routes[0]!.credential).toMatchObject({
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      level: 'github-env',
      source: 'secrets.T',
      line: 7,
    });
  });

  it('past the budget, what the printf format writes is formatted at run time; below it, it is read', () => {
    const step = (count: number): JsonReport =>
      measured({
        '.github/workflows/a.yml': job(
          `      - run: printf 'ANTHROPIC_API_KEY=%s\\n' ${Array(count).fill('k').join(' ')} >> "$GITHUB_ENV"\n` +
            '      - run: claude -p hi\n',
        ),
      }).report;
    // 3,000 lines of 20 characters fit in the budget; 10,000 do not.
    expect(step(3000).routes[0]).toMatchObject({ route: 'api-key', certainty: 'known' });
    expect(step(10000).routes[0]).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['api-key', 'subscription-login'],
      reason:
        'ANTHROPIC_API_KEY is formatted by printf at run time; when it is empty, a stored subscription login is used',
    });
  });

  it('50,000 process substitutions are read in one pass, and the write through the last one counts', () => {
    // Each command was checked against every `>(` before it: 3.9 MB of these took 4.5 minutes.
    const script = (line: string): Record<string, string> => ({
      '.github/workflows/a.yml': job(
        `      - run: |\n${line.repeat(50000)}` +
          '          echo "CLAUDE_CODE_OAUTH_TOKEN=${{ secrets.T }}" > >(tee -a "$GITHUB_ENV")\n' +
          '      - run: claude -p hi\n',
      ),
    });
    const LINE = '          echo a > >(cat)\n';
    const { report, work } = measured(script(LINE));
    // One sweep over the `>(` words by start: each of the 100,002 commands (every echo, the cat inside each
    // `>(`, the tee) is checked once and each of the 50,001 `>(` words passed once, with the next step's
    // claude. Checking each command against every `>(` before it was 2.5 billion checks.
    expect(work.substitutionChecks).toBe(100002 + 50001 + 1);
    // The script once, and each `>(cat)` on its own: every character about once.
    expect(work.shellCharacters).toBeLessThan(1.1 * 50000 * LINE.length);
    expect(report.routes).toHaveLength(1);
    expect(report.routes[0]).toMatchObject({ route: 'subscription-oauth-token', line: 50009 });
    expect(report.routes[0]!.credential).toMatchObject({ source: 'secrets.T', line: 50008, column: 17 });
  });

  it('60,000 arguments and a 200 KB claude_env line are each read once', () => {
    const args = (prefix: string): string =>
      Array.from({ length: 60000 }, (_, i) => `${prefix}a${i}`).join(' ');
    const many = (prefix: string): Record<string, string> => ({
      '.github/workflows/a.yml': job(`      - run: claude -p ${args(prefix)}\n${KEYED}`),
    });
    const expanded = measured(many('$'));
    const plain = measured(many(''));
    expect(expanded.report.routes).toHaveLength(1);
    // Unquoted expansions among Claude's arguments may hold `--settings`: run time decides the route.
    expect(expanded.report.routes[0]).toMatchObject({ route: 'unknown', line: 7, column: 14 });
    // Against the same words unexpanded: the 60,000 `$` read once more, and no other work grows with them.
    expect(expanded.work.shellCharacters).toBe(plain.work.shellCharacters + 60000);
    for (const count of Object.keys(plain.work) as (keyof Work)[])
      if (count !== 'shellCharacters')
        expect([count, expanded.work[count] <= plain.work[count] + 1]).toEqual([count, true]);

    const line = `A: a${' '.repeat(200000)}b`;
    for (const [version, readers] of [
      ['v1', 1],
      ['beta', 2],
    ] as const) {
      const { report, work } = measured({
        '.github/workflows/a.yml': job(
          `      - uses: anthropics/claude-code-action@${version}\n        with:\n          anthropic_api_key: \${{ secrets.K }}\n          claude_env: |\n` +
            `            ${line}\n`,
        ),
      });
      expect(report.routes).toHaveLength(1);
      expect(report.routes[0]).toMatchObject({ route: 'api-key', line: 7, column: 15 });
      // The line is read once by each reader of claude_env (the rule on plain-text credentials; from
      // @beta also the flow of the variables it sets), by hand: a lazy `(.*?)\s*$` backtracked
      // quadratically on the blanks.
      expect([version, work.envLineCharacters]).toEqual([version, readers * line.length]);
    }
  });

  it('a claude_env line is read by hand exactly as ^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*:(.*)$ reads it', () => {
    const PATTERN = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$/;
    const lines = [
      'A: a',
      '  ANTHROPIC_API_KEY :  "sk-ant" ',
      '\tB\t:\t',
      '_x9:',
      '9A: x',
      ': x',
      'A x: y',
      'A',
      '',
      '   ',
      'A: b\r',
      '\rA: b',
      'A\u00a0: b',
      'A: b\u2028c',
      'A:: b',
      'é: b',
    ];
    const byPattern = lines.flatMap((line, i) => {
      const m = PATTERN.exec(line);
      return m ? [{ line: i, name: m[1], nameAt: line.indexOf(m[1]!), rest: m[2] }] : [];
    });
    const text = lines.join('\n');
    const starts = lines.map((_, i) => lines.slice(0, i).join('\n').length + (i === 0 ? 0 : 1));
    expect(
      claudeEnvLines(text).map((l) => ({
        line: starts.indexOf(l.lineStart),
        name: l.name,
        nameAt: l.nameAt,
        rest: l.rest,
      })),
    ).toEqual(byPattern);
  });

  it('a policy glob with many double stars is matched in linear passes, with the same answers', () => {
    const name = 'a'.repeat(60);
    const { report, work } = measured(
      {
        [`.github/workflows/${name}.yml`]: job(
          '      - run: claude -p hi\n        env:\n          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n',
        ),
        '.github/claude-route-guard.yml': `allow:\n  - workflow: '${'**a'.repeat(12)}**b'\n    routes: [subscription-oauth-token]\n    reason: x\n`,
      },
      [],
    );
    // One pass over the path per token, for the route and again for unused-allow: 26 tokens, 83 positions.
    expect(work.globPositions).toBeLessThanOrEqual(
      2 * 26 * ('.github/workflows/'.length + 60 + '.yml'.length + 1),
    );
    expect(report.findings.map((f) => f.rule)).toContain('subscription-token-in-ci');
    for (const [glob, text, expected] of [
      ['.github/workflows/*.yml', '.github/workflows/a.yml', true],
      ['.github/workflows/*.yml', '.github/workflows/x/a.yml', false],
      ['**/a.yml', '.github/workflows/x/a.yml', true],
      ['**', 'anything/at/all', true],
      ['.github/workflows/?.yml', '.github/workflows/ab.yml', false],
      ['re*view', 'review', true],
      ['**a**b', 'aaab', true],
      ['**a**b', 'bbba', false],
    ] as const)
      expect([glob, text, globMatches(glob, text)]).toEqual([glob, text, expected]);
  });

  it('SARIF keeps the 5,000 most severe results and says how many it left out', () => {
    const at = { line: 1, column: 1, endLine: 1, endColumn: 2 };
    const findings = Array.from({ length: 6000 }, (_, i) => ({
      rule: i === 5999 ? 'subscription-token-in-ci' : 'unused-ignore',
      severity: i === 5999 ? ('error' as const) : ('notice' as const),
      confidence: 'high' as const,
      file: `f${i}.yml`,
      span: at,
      message: 'm'.repeat(i === 0 ? 100000 : 10),
    }));
    const log = sarifLog(
      { version: 1, routes: [], findings, skipped: [], unresolved: [], files: 6000, notParsed: 0 },
      '0',
    );
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(SARIF_RESULT_LIMIT);
    expect(run.results![0]!.ruleId).toBe('subscription-token-in-ci');
    expect(run.invocations![0]!.toolExecutionNotifications![0]!.message.text).toMatch(
      /^1000 of 6000 results are left out/,
    );
    expect(JSON.stringify(log).length).toBeLessThan(10_000_000);
  });

  it('SARIF stays under 10 MB gzip-compressed with incompressible names, cutting the least severe first', () => {
    const at = { line: 1, column: 1, endLine: 1, endColumn: 2 };
    // Names the PR chose, random so gzip cannot shrink them: 5,000 results of about 3 KB compressed each.
    const noise = (): string => randomBytes(1500).toString('base64');
    const findings: Finding[] = Array.from({ length: 5000 }, (_, i) => ({
      rule: 'unbounded-spend',
      severity: 'notice' as const,
      confidence: 'high' as const,
      file: `.github/workflows/w${i}.yml`,
      span: at,
      message: noise(),
      related: [{ file: `.github/workflows/w${i}.yml`, span: at, label: noise() }],
    }));
    findings.push(
      {
        rule: 'subscription-token-in-ci',
        severity: 'error',
        confidence: 'high',
        file: 'z.yml',
        span: at,
        message: 'worst',
      },
      {
        rule: 'unbounded-spend',
        severity: 'warning',
        confidence: 'high',
        file: 'y.yml',
        span: at,
        message: 'middle',
      },
    );
    const report = {
      version: 1 as const,
      routes: [],
      findings,
      skipped: [],
      unresolved: [],
      files: 5002,
      notParsed: 0,
    };
    const output = sarifOutput(report, '0');
    expect(gzipSync(output.text).length).toBeLessThanOrEqual(SARIF_GZIP_LIMIT);
    const results = (JSON.parse(output.text) as Log).runs[0]!.results!;
    expect(results.length).toBeGreaterThan(2000);
    expect(results.length).toBeLessThan(5000);
    expect(results.slice(0, 2).map((r) => r.message.text)).toEqual(['worst', 'middle']);
    expect(output.left).toEqual({
      count: 5002 - results.length,
      note: `${5002 - results.length} of 5002 results are left out: GitHub takes at most 10 MB of SARIF, gzip-compressed, and the least severe went first. The job summary and --format json list them all.`,
    });
    // Under the limit nothing is cut and nothing is said.
    expect(sarifOutput({ ...report, findings: findings.slice(-2) }, '0').left).toBeUndefined();
  });
});
