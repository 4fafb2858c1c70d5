import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteRow } from '../src/scan.js';
import type { Finding } from '../src/types.js';
import { allowing, BEHAVIOUR } from './behaviour.js';
import { cliAt, FIXTURES, scanAt } from './helpers.js';

const WORKFLOW = '.github/workflows/subscription-review.yml';

describe('a policy that declares a subscription route intended', () => {
  it.each([
    [WORKFLOW, 'review-bot'],
    ['.github/**', 'review-*'],
    ['.github/**/subscription-review.yml', 'review-b?t'],
    ['**/*.yml', '*'],
  ])('matches workflow %s and job %s, and the run is intended, not an error', (workflow, job) => {
    const report = scanAt(BEHAVIOUR, [WORKFLOW], allowing(workflow, job));
    expect(report.routes.map((r) => [r.line, r.column, r.verdict, r.intended])).toEqual([
      [10, 14, 'intended: the team plan pays', 'the team plan pays'],
    ]);
    expect(report.findings).toEqual([]);
  });

  it.each([
    ['.github/*.yml', '*', 'a single star does not cross a folder'],
    ['.github/*/*.yaml', '*', 'the extension differs'],
    [WORKFLOW, 'review-b??t', 'a question mark is one character'],
    [WORKFLOW, 'review', 'a job name matches whole'],
    ['**', '*/x', 'the job glob needs its last character'],
  ])('does not match workflow %s and job %s: %s', (workflow, job) => {
    const report = scanAt(BEHAVIOUR, [WORKFLOW], allowing(workflow, job));
    expect(report.routes.map((r) => [r.verdict, r.intended])).toEqual([
      ['error: subscription-token-in-ci', null],
    ]);
    expect(report.findings.find((f) => f.rule === 'subscription-token-in-ci')).toMatchObject({
      file: WORKFLOW,
      span: { line: 8, column: 32 },
    });
  });

  it('does not cover another route', () => {
    const report = scanAt(BEHAVIOUR, [WORKFLOW], allowing(WORKFLOW, 'review-bot', 'api-key'));
    expect(report.routes[0]!.verdict).toBe('error: subscription-token-in-ci');
  });

  it('names workflows from the repository root, however the scan was started', () => {
    const fromAbove = scanAt(FIXTURES, [`behaviour/${WORKFLOW}`], allowing(WORKFLOW, 'review-bot'));
    expect(fromAbove.routes.map((r) => [r.file, r.verdict])).toEqual([
      [`behaviour/${WORKFLOW}`, 'intended: the team plan pays'],
    ]);
    const dotted = scanAt(BEHAVIOUR, [`./${WORKFLOW}`], allowing(WORKFLOW, 'review-bot'));
    expect(dotted.routes[0]!.verdict).toBe('intended: the team plan pays');
  });
});

describe('policy paths from the repository root, wherever the command starts', () => {
  const POLICY_REPO = join(FIXTURES, 'policy-repo');
  const PERSONAL = 'Personal repository; the Max plan pays for this on purpose';

  /** `claude-route-guard --format json` in `cwd`: each run's file, job and verdict, and the findings' rules. */
  function cli(cwd: string, args: string[]): { runs: string[][]; findings: Finding[] } {
    const { out } = cliAt(cwd, ['--format', 'json', '--fail-on', 'never', ...args]);
    const json = JSON.parse(out) as { routes: RouteRow[]; findings: Finding[] };
    return { runs: json.routes.map((r) => [r.file, r.job, r.verdict]), findings: json.findings };
  }

  it.each([
    ['.github', ['workflows/personal.yml'], 'workflows/personal.yml'],
    ['.github', ['.'], 'workflows/personal.yml'],
    ['.github/workflows', ['personal.yml'], 'personal.yml'],
    ['..', ['policy-repo/.github/workflows/personal.yml'], 'policy-repo/.github/workflows/personal.yml'],
  ])(
    'from %s, scanning %j, allows .github/workflows/personal.yml as the policy names it',
    (from, args, shown) => {
      const { runs, findings } = cli(join(POLICY_REPO, from), args);
      expect(runs.filter((r) => r[0] === shown)).toEqual([
        [shown, 'claude', `warning: unbounded-spend; intended: ${PERSONAL}`],
        [shown, 'other', 'error: subscription-token-in-ci'],
      ]);
      expect(findings.filter((f) => f.rule === 'unused-allow')).toEqual([]);
    },
  );

  /** A repository with personal.yml and a policy of one allow entry, scanned from inside its .github/. */
  function fromDotGithub(workflow: string, job: string, route = 'subscription-oauth-token'): Finding[] {
    const repo = mkdtempSync(join(tmpdir(), 'crg-policy-paths-'));
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    copyFileSync(
      join(POLICY_REPO, '.github/workflows/personal.yml'),
      join(repo, '.github/workflows/personal.yml'),
    );
    writeFileSync(
      join(repo, '.github', 'claude-route-guard.yml'),
      `allow:\n  - workflow: ${workflow}\n    job: ${job}\n    routes: [${route}]\n    reason: on purpose\n`,
    );
    return cli(join(repo, '.github'), ['workflows/personal.yml']).findings.filter(
      (f) => f.rule === 'unused-allow',
    );
  }

  it('calls an entry for a renamed job unused, on its job: line, from inside .github/ too', () => {
    expect(fromDotGithub('.github/workflows/personal.yml', 'claude-bot')).toMatchObject([
      {
        file: 'claude-route-guard.yml',
        line: 3,
        column: 10,
        message:
          'This allow entry (workflow .github/workflows/personal.yml, job claude-bot, routes subscription-oauth-token) matches no Claude run in that workflow (did you mean "claude"?): the job was renamed, or the name is misspelt. Fix the job name or remove the entry.',
      },
    ]);
  });

  it('calls an entry whose job has a run on another route unused on the entry, not on its job', () => {
    expect(fromDotGithub('.github/workflows/personal.yml', 'claude', 'api-key')).toMatchObject([
      {
        file: 'claude-route-guard.yml',
        line: 2,
        column: 5,
        message:
          'This allow entry (workflow .github/workflows/personal.yml, job claude, routes api-key) matches no Claude run in that workflow: job claude bills subscription-oauth-token; the route changed. Fix the routes or remove the entry.',
      },
    ]);
  });

  it('does not take a path from the current folder for one from the repository root', () => {
    expect(fromDotGithub('workflows/personal.yml', 'claude')).toMatchObject([
      {
        file: 'claude-route-guard.yml',
        line: 2,
        column: 5,
        message:
          'This allow entry (workflow workflows/personal.yml, job claude, routes subscription-oauth-token) names a workflow the repository does not have, so it allows nothing. Paths start at the repository root, like .github/workflows/review.yml.',
      },
    ]);
  });
});

describe('fail-on: the policy’s, unless the command names one', () => {
  const exitIn = (folder: string, args: string[]): number => cliAt(join(FIXTURES, folder), args).code;

  it('passes an error when the policy says fail-on: never, and fails it when --fail-on says so', () => {
    expect(exitIn('fail-on-repo', [])).toBe(0);
    expect(exitIn('fail-on-repo', ['--fail-on', 'error'])).toBe(1);
    expect(exitIn('fail-on-repo', ['--fail-on', 'notice'])).toBe(1);
  });

  it('holds a file no scanned file’s policy governs to the strictest fail-on in play, not the weakest', () => {
    // alpha's settings file holds a plain-text token (an error); alpha's own policy says never.
    expect(exitIn('multi-repo-fail-on', ['alpha'])).toBe(0);
    // beta, clean, brings the default fail-on (error) into play: the settings file's error now fails.
    expect(exitIn('multi-repo-fail-on', ['alpha', 'beta'])).toBe(1);
    expect(exitIn('multi-repo-fail-on', ['beta'])).toBe(0);
  });
});
