import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import { parsePolicy, PolicyError } from '../src/policy/policy.js';
import { FIXTURES, ROOT, scanAt, type JsonFinding } from './helpers.js';
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

  it('rejects an allow entry whose routes list is empty, at the list, naming the routes it can hold', () => {
    expect(
      policyError(
        'allow:\n  - workflow: .github/workflows/review.yml\n    routes: []\n    reason: on purpose\n',
      ),
    ).toBe(
      'p.yml:3:13: `routes` must list at least one route; routes are api-key, workload-identity, bedrock, vertex, foundry, gateway-token, api-key-helper, subscription-oauth-token, console-login, subscription-login, unknown',
    );
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

  it('reports every mistake of the file at once, in file order, each at its place with a did-you-mean', () => {
    const text = [
      'rule:',
      '  unbounded-spend: off',
      'allow:',
      '  - workflow: .github/workflows/personal.yml',
      '    routes: [subscription-oauth]',
      '    reasn: the owner pays',
      'fail-on: warnings',
      '',
    ].join('\n');
    expect(policyError(text).split('\n')).toEqual([
      'p.yml:1:1: unknown key "rule" (did you mean "rules"?); the policy has allow, rules and fail-on',
      'p.yml:4:5: this allow entry needs `reason`, which shows in the summary',
      'p.yml:5:14: unknown route "subscription-oauth" (did you mean "subscription-oauth-token"?); routes are api-key, workload-identity, bedrock, vertex, foundry, gateway-token, api-key-helper, subscription-oauth-token, console-login, subscription-login, unknown',
      'p.yml:6:5: unknown key "reasn" in an allow entry (did you mean "reason"?)',
      'p.yml:7:10: fail-on must be one of error, warning, notice, never, not "warnings" (did you mean "warning"?)',
    ]);
    // The CLI says them in one run, one line each.
    const dir = mkdtempSync(join(tmpdir(), 'crg-policy-'));
    writeFileSync(join(dir, 'policy.yml'), text);
    let err = '';
    const code = runCli(['--config', 'policy.yml', '../repo'], {
      cwd: dir,
      stdout: () => undefined,
      stderr: (t) => (err += `${t}\n`),
    });
    expect(code).toBe(2);
    expect(err.trimEnd().split('\n')).toEqual(
      policyError(text)
        .split('\n')
        .map((l) => `claude-route-guard: ${l.replace(/^p\.yml/, 'policy.yml')}`),
    );
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
      stderr: (t) => (err += `${t}\n`),
    });
    expect(code).toBe(2);
    expect(err).toBe(
      'claude-route-guard: ../rules/.github/workflows/flags-array.yml:1:1: unknown key "on"; the policy has allow, rules and fail-on\n' +
        'claude-route-guard: ../rules/.github/workflows/flags-array.yml:2:1: unknown key "jobs"; the policy has allow, rules and fail-on\n',
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

describe('ignore pitfalls', () => {
  it('reports an ignore without brackets, with a misspelt prefix or an unknown rule, with the likely fix', () => {
    const report = scanAt(join(FIXTURES, 'ignore-repo'), ['.github/workflows/pitfalls.yml']);
    expect(report.findings.map((f) => [f.rule, f.span.line, f.span.column])).toEqual([
      ['malformed-ignore', 15, 7],
      ['unbounded-spend', 16, 14],
      ['unbounded-spend', 22, 14],
      ['malformed-ignore', 22, 28],
      ['malformed-ignore', 28, 7],
      ['unbounded-spend', 29, 14],
      ['malformed-ignore', 36, 7],
    ]);
    const messages = report.findings.filter((f) => f.rule === 'malformed-ignore').map((f) => f.message);
    expect(messages[0]).toContain('`# claude-route-guard: ignore[unbounded-spend] reason`');
    expect(messages[1]).toContain('"unbounded-spnd", which is not a rule (did you mean "unbounded-spend"?)');
    // A rule id the PR author wrote is repeated only when it is plain: no @mention, no markup.
    expect(messages[3]).toContain('names a rule id with unusual characters, which is not a rule');
    expect(messages[3]).not.toMatch(/[@<]/);
    // The bracketed ignore on the line above its finding works and is not reported as unused.
    expect(report.findings.some((f) => f.rule === 'unused-ignore')).toBe(false);
  });
});

describe('policy per repository', () => {
  const MULTI = join(FIXTURES, 'multi-repo');
  const run = (args: string[], cwd = MULTI): { code: number; out: string; err: string } => {
    let out = '';
    let err = '';
    const code = runCli(args, { cwd, stdout: (t) => (out += t), stderr: (t) => (err += t) }) as number;
    return { code, out, err };
  };
  interface Json {
    routes: { file: string; verdict: string }[];
    findings: JsonFinding[];
  }
  const json = (args: string[]): Json => JSON.parse(run([...args, '--format', 'json']).out) as Json;

  it("applies each repository's own policy to its paths, not the current folder's", () => {
    const report = json(['alpha', 'beta', '--fail-on', 'never']);
    expect(report.routes.map((r) => [r.file, r.verdict])).toEqual([
      ['alpha/.github/workflows/assistant.yml', "intended: The owner's Max plan pays for this on purpose"],
      ['beta/.github/workflows/assistant.yml', 'error: subscription-token-in-ci'],
    ]);
    expect(run(['alpha']).code).toBe(0);
    expect(run(['beta']).code).toBe(1);
  });

  it('lets --config apply one policy to every path', () => {
    const report = json(['alpha', 'beta', '--config', 'alpha/.github/claude-route-guard.yml']);
    expect(report.routes.map((r) => r.verdict)).toEqual([
      "intended: The owner's Max plan pays for this on purpose",
      "intended: The owner's Max plan pays for this on purpose",
    ]);
  });

  it('reports allow entries that match no run, on the entry, with the nearest job or workflow', () => {
    const report = json(['alpha']);
    expect(report.findings.map((f) => [f.rule, f.severity, f.file, f.line, f.column])).toEqual([
      // `job: asistant`: no job with a Claude run has that name, so the notice points at the name.
      ['unused-allow', 'notice', 'alpha/.github/claude-route-guard.yml', 7, 10],
      ['unused-allow', 'notice', 'alpha/.github/claude-route-guard.yml', 10, 5],
    ]);
    expect(report.findings[0]!.message).toContain('job asistant');
    expect(report.findings[0]!.message).toContain('(did you mean "assistant"?)');
    expect(report.findings[1]!.message).toContain('(did you mean ".github/workflows/assistant.yml"?)');
  });

  it('judges on a partial scan only the entries it can: a workflow path the repository does not have', () => {
    const partial = json(['alpha/.github/workflows/lint.yml']);
    expect(partial.findings.map((f) => [f.rule, f.line, f.column])).toEqual([['unused-allow', 10, 5]]);
  });

  it('refuses a policy file that is a symbolic link', () => {
    const repo = mkdtempSync(join(tmpdir(), 'crg-link-'));
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(repo, '.github', 'workflows', 'w.yml'), 'on: push\njobs: {}\n');
    symlinkSync(
      join(MULTI, 'alpha', '.github', 'claude-route-guard.yml'),
      join(repo, '.github', 'claude-route-guard.yml'),
    );
    const linked = run([], repo);
    expect(linked.code).toBe(2);
    expect(linked.err).toBe(
      'claude-route-guard: .github/claude-route-guard.yml: the policy file must be a regular file, not a link',
    );
  });
});

describe('docs/policy.md', () => {
  const page = readFileSync(join(ROOT, 'docs', 'policy.md'), 'utf8');
  const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('shows policies that the parser accepts', () => {
    const policies = blocks.filter((b) => /^(allow|rules|fail-on):/m.test(b));
    const read = policies.map((text) => {
      const p = parsePolicy(text, 'policy.md');
      return {
        allow: p.allow.map(({ workflow, job, routes, reason }) => ({ workflow, job, routes, reason })),
        rules: p.rules,
        failOn: p.failOn,
      };
    });
    expect(read).toEqual([
      {
        allow: [
          {
            workflow: '.github/workflows/personal-assistant.yml',
            job: 'assistant',
            routes: ['subscription-oauth-token'],
            reason: "Personal repository; the owner's Max plan pays for this on purpose",
          },
        ],
        rules: {},
        failOn: undefined,
      },
      {
        allow: [
          {
            workflow: '.github/workflows/assistant.yml',
            job: 'assistant',
            routes: ['subscription-oauth-token', 'api-key'],
            reason: "The owner's plan pays when the token is set, the team key otherwise",
          },
        ],
        rules: {},
        failOn: undefined,
      },
      {
        allow: [
          {
            workflow: '.github/workflows/nightly-*.yml',
            job: undefined,
            routes: ['bedrock', 'vertex'],
            reason: 'Nightly jobs run on the cloud account',
          },
        ],
        rules: { 'unbounded-spend': 'warning', 'third-party-endpoint': 'off' },
        failOn: 'warning',
      },
    ]);
  });

  it('shows an inline ignore that works where the page puts it', () => {
    const workflow = `on: push\n${blocks.find((b) => b.includes('ignore['))!}`;
    const repo = mkdtempSync(join(tmpdir(), 'crg-policy-doc-'));
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(repo, '.github', 'workflows', 'w.yml'), workflow);
    expect(scanAt(repo, ['.github/workflows/w.yml']).findings).toEqual([]);
    // Without the comment the finding is there, so the comment is what silences it.
    writeFileSync(
      join(repo, '.github', 'workflows', 'w.yml'),
      workflow.replace(/^ *# claude-route-guard.*\n/m, ''),
    );
    expect(scanAt(repo, ['.github/workflows/w.yml']).findings.map((f) => f.rule)).toEqual([
      'unbounded-spend',
    ]);
  });
});

describe('rule catalogue in the CLI', () => {
  const cli = (args: string[]): { code: number; out: string } => {
    let out = '';
    const code = runCli(args, {
      cwd: POLICY_REPO,
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
    }) as number;
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
