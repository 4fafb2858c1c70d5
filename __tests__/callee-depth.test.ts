/**
 * How deep calls are followed, and that a callee is walked once per answer (issue 26 item 5, issue 32):
 * GitHub runs ten levels of workflows and ten nested composite actions, so chains that deep are followed
 * whole; a call past the limit is a notice and an `unknown` row; a cycle is a notice. The work is counted
 * (src/meter.ts), never timed.
 */
import { describe, expect, it } from '@jest/globals';
import { actionWalkKey } from '../src/claude/callee-memo.js';
import { MAX_DEPTH, MAX_EXPANSIONS, type Context, type JobState } from '../src/claude/invocations.js';
import { Environment } from '../src/flow/environment.js';
import type { Resolved } from '../src/workflow/values.js';
import { takeWork, type Work } from '../src/meter.js';
import type { FindingJson } from '../src/report/json.js';
import type { Report as EngineReport } from '../src/scan.js';

/** The JSON report: its findings spell their places out. */
type Report = Omit<EngineReport, 'findings'> & { findings: FindingJson[] };
import { cli, workspace } from './hostile-pr.js';

/** Scans the named files of a fresh workspace in-process: the report and the work the scan counted. */
function measured(files: Record<string, string>, named: string[]): { report: Report; work: Work } {
  const ws = workspace({}, files);
  takeWork();
  const run = cli(ws, ['--format', 'json', '--fail-on', 'never', ...named]);
  return { report: JSON.parse(run.stdout) as Report, work: takeWork() };
}

const CALLER =
  'on: push\njobs:\n  review:\n    runs-on: ubuntu-latest\n    env:\n      ANTHROPIC_API_KEY: ${{ secrets.KEY }}\n    steps:\n      - uses: ./.github/actions/l1\n';
const RUN = '    - run: claude -p "review" --max-turns 5\n      shell: bash\n';

/** A workflow calling composite action l1, which calls l2, ..., down to l`levels`, which runs Claude. */
function actionChain(levels: number): Record<string, string> {
  const files: Record<string, string> = { '.github/workflows/ci.yml': CALLER };
  for (let i = 1; i <= levels; i++)
    files[`.github/actions/l${i}/action.yml`] =
      'runs:\n  using: composite\n  steps:\n' +
      (i < levels ? `    - uses: ./.github/actions/l${i + 1}\n` : RUN);
  return files;
}

/** A workflow calling reusable workflow w1, which calls w2, ..., down to w`levels`, which runs Claude. */
function workflowChain(levels: number): Record<string, string> {
  const files: Record<string, string> = {
    '.github/workflows/ci.yml':
      'on: push\njobs:\n  call:\n    uses: ./.github/workflows/w1.yml\n    secrets: inherit\n',
  };
  for (let i = 1; i <= levels; i++)
    files[`.github/workflows/w${i}.yml`] =
      'on: workflow_call\njobs:\n' +
      (i < levels
        ? `  call:\n    uses: ./.github/workflows/w${i + 1}.yml\n    secrets: inherit\n`
        : '  review:\n    runs-on: ubuntu-latest\n    steps:\n      - run: claude -p "review" --max-turns 5\n        env:\n          ANTHROPIC_API_KEY: ${{ secrets.KEY }}\n');
  return files;
}

/** The fields of a row that say where it is, what it is, who pays and why. */
const rowOf = (r: Report['routes'][number]) => ({
  at: `${r.file}:${r.line}:${r.column}`,
  invocation: r.invocation,
  route: r.route,
  certainty: r.certainty,
  outcomes: r.outcomes,
  verdict: r.verdict,
  reason: r.reason,
  hops: r.hops.map((h) => `${h.file}:${h.line}`),
});
/** Every finding, by rule, severity, confidence and place. */
const findingsOf = (report: Report) =>
  report.findings.map((f) => `${f.severity} ${f.rule} (${f.confidence}) ${f.file}:${f.line}:${f.column}`);
const hopsDown = (dir: string, name: (i: number) => string, to: number, line: number): string[] =>
  Array.from({ length: to }, (_, i) => `.github/${dir}/${name(i + 1)}:${line}`);
const action = (i: number): string => `actions/l${i}/action.yml`.replace('actions/', '');
const PAST = (callee: string): string =>
  `\`${callee}\` is nested more than ${MAX_DEPTH} calls deep (reusable workflows, composite actions and scripts), past what the scan follows, so its Claude runs were not checked`;

describe('callees are followed as deep as GitHub runs them', () => {
  it('follows ten nested composite actions to the run at the bottom', () => {
    const { report, work } = measured(actionChain(MAX_DEPTH), ['.github/workflows/ci.yml']);
    expect(report.routes.map(rowOf)).toEqual([
      {
        at: '.github/workflows/ci.yml:8:15',
        invocation: 'composite-action',
        route: 'api-key',
        certainty: 'known',
        outcomes: ['api-key'],
        verdict: 'ok',
        reason: null,
        hops: ['.github/workflows/ci.yml:8', ...hopsDown('actions', action, MAX_DEPTH, 4)],
      },
    ]);
    expect(report.unresolved).toEqual([]);
    expect(findingsOf(report)).toEqual([]);
    // One walk per level: l1 ... l10.
    expect(work.expansions).toBe(MAX_DEPTH);
  });

  it('a composite action past ten levels is a notice where it is called and an unknown row', () => {
    const { report, work } = measured(actionChain(MAX_DEPTH + 2), ['.github/workflows/ci.yml']);
    expect(report.routes.map(rowOf)).toEqual([
      {
        at: '.github/workflows/ci.yml:8:15',
        invocation: 'composite-action',
        route: 'unknown',
        certainty: 'unknown',
        outcomes: ['api-key'],
        verdict: 'ok',
        reason: `${PAST('./.github/actions/l11')}; without that, the route would be api-key`,
        // Down to the call that was not followed, in l10.
        hops: ['.github/workflows/ci.yml:8', ...hopsDown('actions', action, MAX_DEPTH, 4)],
      },
    ]);
    expect(report.unresolved).toEqual([
      { file: '.github/actions/l10/action.yml', line: 4, column: 13, message: PAST('./.github/actions/l11') },
    ]);
    expect(findingsOf(report)).toEqual([]);
    expect(work.expansions).toBe(MAX_DEPTH);
  });

  it('follows a caller and nine nested reusable workflows, the ten levels GitHub runs', () => {
    const { report, work } = measured(workflowChain(9), ['.github/workflows/ci.yml']);
    const workflow = (i: number): string => `w${i}.yml`;
    expect(report.routes.map(rowOf)).toEqual([
      {
        at: '.github/workflows/ci.yml:4:11',
        invocation: 'reusable-workflow',
        route: 'api-key',
        certainty: 'known',
        outcomes: ['api-key'],
        verdict: 'warning: broad-credential-scope',
        reason: null,
        hops: [
          '.github/workflows/ci.yml:4',
          ...hopsDown('workflows', workflow, 8, 4),
          '.github/workflows/w9.yml:6',
        ],
      },
    ]);
    expect(report.unresolved).toEqual([]);
    expect(findingsOf(report)).toEqual([
      'warning broad-credential-scope (high) .github/workflows/ci.yml:5:14',
    ]);
    expect(work.expansions).toBe(9);
  });

  it('a reusable workflow past the limit is a notice where it is called and an unknown row', () => {
    const { report, work } = measured(workflowChain(MAX_DEPTH + 2), ['.github/workflows/ci.yml']);
    const workflow = (i: number): string => `w${i}.yml`;
    expect(report.routes.map(rowOf)).toEqual([
      {
        at: '.github/workflows/ci.yml:4:11',
        invocation: 'reusable-workflow',
        route: 'unknown',
        certainty: 'unknown',
        outcomes: ['unknown'],
        verdict: 'warning: broad-credential-scope',
        reason: PAST('./.github/workflows/w11.yml'),
        hops: ['.github/workflows/ci.yml:4', ...hopsDown('workflows', workflow, MAX_DEPTH, 4)],
      },
    ]);
    expect(report.unresolved).toEqual([
      {
        file: '.github/workflows/w10.yml',
        line: 4,
        column: 11,
        message: PAST('./.github/workflows/w11.yml'),
      },
    ]);
    // `secrets: inherit` into a chain that may run Claude: judged from what could not be read.
    expect(findingsOf(report)).toEqual([
      'warning broad-credential-scope (medium) .github/workflows/ci.yml:5:14',
    ]);
    expect(work.expansions).toBe(MAX_DEPTH);
  });

  it('a cycle of two workflows is a notice, followed once around', () => {
    const cycle = (next: string): string =>
      `on: [push, workflow_call]\njobs:\n  call:\n    uses: ./.github/workflows/${next}\n`;
    const { report, work } = measured(
      { '.github/workflows/a.yml': cycle('b.yml'), '.github/workflows/b.yml': cycle('a.yml') },
      ['.github/workflows/a.yml'],
    );
    expect(report.routes).toEqual([]);
    expect(report.unresolved).toEqual([
      {
        file: '.github/workflows/b.yml',
        line: 4,
        column: 11,
        message:
          '.github/workflows/a.yml calls itself (directly or through others), so the call is followed only once',
      },
    ]);
    expect(findingsOf(report)).toEqual([]);
    expect(work.expansions).toBe(1);
  });
});

describe('a callee is walked once for the same values', () => {
  const NESTED: Record<string, string> = {
    '.github/actions/n1/action.yml':
      'runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/n2\n',
    '.github/actions/n2/action.yml':
      'runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/n3\n',
    '.github/actions/n3/action.yml':
      'runs:\n  using: composite\n  steps:\n    - run: ./tool --check\n      shell: bash\n',
  };
  const workflow = (steps: string[]): string =>
    'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n' +
    steps.join('');
  const call = (extra = ''): string => `      - uses: ./.github/actions/n1\n${extra}`;

  it('walks three times for seventy calls, and spends no budget on a remembered answer', () => {
    const same = measured(
      { ...NESTED, '.github/workflows/ci.yml': workflow(Array.from({ length: 70 }, () => call())) },
      ['.github/workflows/ci.yml'],
    );
    // The same calls, each handing a value of its own: no call can reuse another's walk of n1.
    const distinct = measured(
      {
        ...NESTED,
        '.github/workflows/ci.yml': workflow(
          Array.from({ length: 70 }, (_, i) => call(`        with:\n          tag: v${i}\n`)),
        ),
      },
      ['.github/workflows/ci.yml'],
    );
    for (const { report } of [same, distinct]) {
      expect(report.routes).toEqual([]);
      expect(report.unresolved).toEqual([]);
      expect(findingsOf(report)).toEqual([]);
    }
    // The first call walks n1, n2 and n3; the other 69 take its answer, at no cost to the budget (which
    // bounds the work done: charging for answers taken ran 70 such calls out of it).
    expect(same.work.expansions).toBe(3);
    // Each call walks its own n1, whose call of n2 hands the same values every time: 70 + 2.
    expect(distinct.work.expansions).toBe(72);
  });

  it('past the budget, each call not followed is an unknown row and the file has a finding where it stopped', () => {
    const calls = 250;
    const { report, work } = measured(
      {
        ...NESTED,
        '.github/workflows/ci.yml': workflow(
          Array.from({ length: calls }, (_, i) => call(`        with:\n          tag: v${i}\n`)),
        ),
      },
      ['.github/workflows/ci.yml'],
    );
    // 3 for the first call, one n1 for each of the next 197: the 199th call finds the budget spent.
    expect(work.expansions).toBe(MAX_EXPANSIONS);
    const line = (call: number): number => 3 * call + 4;
    const why =
      "`./.github/actions/n1` was not followed: the scan's budget of calls was spent (see the finding on this file), so its Claude runs were not checked";
    expect(report.routes.map(rowOf)).toEqual(
      Array.from({ length: calls - 198 }, (_, i) => ({
        at: `.github/workflows/ci.yml:${line(199 + i)}:15`,
        invocation: 'composite-action',
        route: 'unknown',
        certainty: 'unknown',
        outcomes: ['unknown'],
        verdict: i === 0 ? 'error: parse-error' : 'ok',
        reason: why,
        hops: [],
      })),
    );
    expect(report.unresolved).toEqual([]);
    expect(findingsOf(report)).toEqual([`error parse-error (high) .github/workflows/ci.yml:${line(199)}:15`]);
    expect(report.findings[0]!.message).toBe(
      `This file reaches more than ${MAX_EXPANSIONS} calls to reusable workflows, local actions and scripts, so the scan stopped following them here; runs further down are not checked.`,
    );
  });

  it('walks again when the step hands the callee something else: a Claude credential in its env', () => {
    const keyed = call('        env:\n          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.TOKEN }}\n');
    const { report, work } = measured(
      { ...NESTED, '.github/workflows/ci.yml': workflow([call(), call(), call(), keyed]) },
      ['.github/workflows/ci.yml'],
    );
    expect(report.routes.map(rowOf)).toEqual([
      {
        at: '.github/workflows/ci.yml:10:15',
        invocation: 'composite-action',
        route: 'subscription-oauth-token',
        certainty: 'inferred',
        outcomes: ['subscription-oauth-token'],
        verdict: 'warning: subscription-token-in-ci',
        reason: expect.stringContaining('./tool'),
        hops: [
          '.github/workflows/ci.yml:10',
          '.github/actions/n1/action.yml:4',
          '.github/actions/n2/action.yml:4',
          '.github/actions/n3/action.yml:4',
        ],
      },
    ]);
    expect(report.unresolved).toEqual([]);
    expect(findingsOf(report)).toEqual([
      'warning subscription-token-in-ci (low) .github/workflows/ci.yml:12:36',
    ]);
    // The first call walks n1, n2 and n3; the next two reuse it; the keyed call walks all three again.
    expect(work.expansions).toBe(6);
  });

  it('keys a walk by what the values are, not where they are written, and makes no key of a function', () => {
    const span = (line: number) => ({ line, column: 1, endLine: line, endColumn: 9 });
    const literal = (text: string, file: string, line: number): Resolved => ({
      presence: 'set',
      form: 'literal',
      secrets: [],
      vars: [],
      inputs: [],
      literal: text,
      file,
      span: span(line),
    });
    const state = (): JobState => ({ githubEnv: new Map(), sdkSeen: false });
    const ctx = { jobId: 'build', depth: 1, shell: 'bash' } as unknown as Context;
    const key = (value: Resolved, at: Context = ctx) =>
      actionWalkKey('a/action.yml', at, new Map([['tag', value]]), Environment.empty(), state());
    // A walk that found nothing is taken for the same value written anywhere; one that found runs, only
    // for the value written in the same place (its runs carry the places).
    const here = key(literal('v1', 'one.yml', 3));
    const there = key(literal('v1', 'two.yml', 40));
    expect(here.nothing).toBe(there.nothing);
    expect(here.found).not.toBe(there.found);
    expect(here.found).toBe(key(literal('v1', 'one.yml', 3)).found);
    expect(here.nothing).not.toBe(key(literal('v2', 'one.yml', 3)).nothing);
    expect(key(literal('v1', 'one.yml', 3), { ...ctx, shell: 'sh' } as Context).nothing).not.toBe(
      here.nothing,
    );
    // Its runs run in the caller's job: another job's call finds them again.
    expect(key(literal('v1', 'one.yml', 3), { ...ctx, jobId: 'test' } as Context).found).not.toBe(here.found);
    const withCallback = { ...ctx, later: () => 'x' } as unknown as Context;
    expect(key(literal('v1', 'one.yml', 3), withCallback)).toEqual({ found: undefined, nothing: undefined });
  });
});
