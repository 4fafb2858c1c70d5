import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import { parsePolicy, PolicyError } from '../src/policy/policy.js';
import { FIXTURES, scanAt } from './helpers.js';
import { loadPolicy } from '../src/policy/load.js';
import { ALL_RULE_IDS } from '../src/rules/index.js';

const POLICY_REPO = join(FIXTURES, 'policy-repo');

function policyError(text: string): string {
  try {
    parsePolicy(text, 'p.yml');
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
  throw new Error('no error');
}

describe('policy file', () => {
  it('declares a route intended per workflow and job, keeping the reason beside a worse finding', () => {
    const report = scanAt(
      POLICY_REPO,
      ['.github/workflows/personal.yml'],
      loadPolicy(POLICY_REPO, undefined),
    );
    expect(report.routes.map((r) => [r.job, r.verdict])).toEqual([
      [
        'claude',
        'warning: unbounded-spend; intended: Personal repository; the Max plan pays for this on purpose',
      ],
      ['other', 'error: subscription-token-in-ci'],
    ]);
    expect(report.routes.map((r) => r.intended)).toEqual([
      'Personal repository; the Max plan pays for this on purpose',
      null,
    ]);
    expect(report.findings.map((f) => [f.rule, f.severity, f.span.line])).toEqual([
      ['unbounded-spend', 'warning', 6],
      ['subscription-token-in-ci', 'error', 15],
    ]);
  });

  it('shows the reason as the verdict when nothing else is wrong', () => {
    const policy = parsePolicy(
      'allow:\n  - workflow: "**/personal.yml"\n    routes: [subscription-oauth-token]\n    reason: on purpose\nrules:\n  unbounded-spend: off\n',
      'p.yml',
    );
    const report = scanAt(POLICY_REPO, ['.github/workflows/personal.yml'], policy);
    expect(report.routes.map((r) => r.verdict)).toEqual(['intended: on purpose', 'intended: on purpose']);
    expect(report.findings).toEqual([]);
  });

  it('rejects unknown keys, rules, routes and severities with positions and suggestions', () => {
    expect(policyError('allow: []\nrule:\n  unbounded-spend: off\n')).toBe(
      'p.yml:2:1: unknown key "rule" (did you mean "rules"?); the policy has allow, rules and fail-on',
    );
    expect(policyError('rules:\n  unbounded-spent: off\n')).toBe(
      'p.yml:2:3: unknown rule "unbounded-spent" (did you mean "unbounded-spend"?); `claude-route-guard --list-rules` lists them',
    );
    expect(policyError('rules:\n  unbounded-spend: loud\n')).toBe(
      'p.yml:2:20: the severity of unbounded-spend must be one of off, notice, warning, error, not "loud"',
    );
    expect(
      policyError('allow:\n  - workflow: a.yml\n    routes: [subscription-oauth]\n    reason: x\n'),
    ).toMatch(
      /^p\.yml:3:14: unknown route "subscription-oauth" \(did you mean "subscription-oauth-token"\?\)/,
    );
    expect(policyError('allow:\n  - workflow: a.yml\n    routes: [api-key]\n')).toBe(
      'p.yml:2:5: this allow entry needs `reason`, which shows in the summary',
    );
    expect(policyError('fail-on: sometimes\n')).toBe(
      'p.yml:1:10: fail-on must be one of error, warning, notice, never, not "sometimes"',
    );
    expect(policyError('allow: [\n')).toMatch(/^p\.yml:\d+:\d+: invalid YAML: /);
  });

  it('takes fail-on from the policy unless the command line says otherwise', () => {
    const io = { cwd: POLICY_REPO, stdout: () => undefined, stderr: () => undefined };
    // personal.yml has an error; ignored.yml only notices, under fail-on: warning from the policy.
    expect(runCli(['.github/workflows/ignored.yml'], io)).toBe(0);
    expect(runCli(['.github/workflows/ignored.yml', '--fail-on', 'notice'], io)).toBe(1);
  });

  it('exits 2 naming the position of a bad policy', () => {
    let err = '';
    const code = runCli(['--config', '../rules/.github/workflows/flags-array.yml'], {
      cwd: POLICY_REPO,
      stdout: () => undefined,
      stderr: (t) => (err += t),
    });
    expect(code).toBe(2);
    expect(err).toBe(
      'claude-route-guard: ../rules/.github/workflows/flags-array.yml:1:1: unknown key "on"; the policy has allow, rules and fail-on',
    );
  });
});

describe('inline ignores', () => {
  it('honours an ignore on the line or the line above, and reports missing reasons and unused ignores', () => {
    const report = scanAt(POLICY_REPO, ['.github/workflows/ignored.yml']);
    expect(report.findings.map((f) => [f.rule, f.span.line, f.span.column])).toEqual([
      ['ignore-without-reason', 10, 30],
      ['unused-ignore', 11, 7],
    ]);
  });
});

describe('rule catalogue in the CLI', () => {
  const cli = (args: string[]): { code: number; out: string } => {
    let out = '';
    const code = runCli(args, { cwd: POLICY_REPO, stdout: (t) => (out += t), stderr: (t) => (out += t) });
    return { code, out };
  };
  it('lists every rule with its default severity', () => {
    const { code, out } = cli(['--list-rules']);
    expect(code).toBe(0);
    expect(out.split('\n')).toHaveLength(ALL_RULE_IDS.length);
    expect(out).toMatch(/^headless-without-api-route\s+error\s+A headless Claude run/);
  });
  it('prints a docs page, and suggests a near name for an unknown rule', () => {
    expect(cli(['--explain', 'shadowed-credential']).out).toMatch(/^# shadowed-credential\n/);
    const unknown = cli(['--explain', 'shadowed-credentials']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('(did you mean "shadowed-credential"?)');
  });
});
