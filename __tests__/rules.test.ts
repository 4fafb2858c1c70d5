import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRepoPolicy } from '../src/policy/load.js';
import { ALL_RULE_IDS, ENGINE_RULES, RULES, RUN_RULES } from '../src/rules/index.js';
import { declarations } from '../src/runlog/declared.js';
import { runFindings, verifyLogFile } from '../src/runlog/verify.js';
import { parseFile } from '../src/workflow/model.js';
import type { Report } from '../src/scan.js';
import { FIXTURES, ROOT, scanAt } from './helpers.js';

/** The YAML (or, for a run rule's logs, JSON) block under a `## Bad` or `## Good` heading of a rule's docs page. */
function example(id: string, heading: 'Bad' | 'Good' | 'Workflow', lang = 'yaml'): string {
  const page = readFileSync(join(ROOT, 'docs', 'rules', `${id}.md`), 'utf8');
  const m = new RegExp(`## ${heading}\\n\\n(?:[^\`]*\\n\\n)?\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(page);
  if (!m) throw new Error(`docs/rules/${id}.md has no ${heading} example`);
  return m[1]!;
}

/** Rules about the policy file: their examples are policies, checked against the page's Workflow example. */
const POLICY_RULES = new Set(['unused-allow']);

/** Every finding of a rule's docs example, scanned as a repository's only workflow (or policy). */
function scanExample(yaml: string, rule: string): Report {
  const repo = mkdtempSync(join(tmpdir(), 'crg-rule-'));
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
  const isPolicy = POLICY_RULES.has(rule);
  writeFileSync(
    join(repo, '.github', 'workflows', 'example.yml'),
    isPolicy ? example(rule, 'Workflow') : yaml,
  );
  if (isPolicy) writeFileSync(join(repo, '.github', 'claude-route-guard.yml'), yaml);
  return scanAt(repo, ['.github/workflows/example.yml'], isPolicy ? loadRepoPolicy(repo, repo) : undefined);
}

/** Every finding of an example, of every rule: rule, severity and span. */
function findingsOf(yaml: string, rule: string): FindingRow[] {
  return scanExample(yaml, rule).findings.map((f) => [
    f.rule,
    f.severity,
    f.span.line,
    f.span.column,
    f.span.endLine,
    f.span.endColumn,
  ]);
}
type FindingRow = [string, string, number, number, number, number];

/**
 * Every finding of the Bad example of each rule's docs page, its own rule's and any other's: a change in
 * any rule shows here. The Good example must be clean of all of them (below).
 */
const BAD: Record<string, FindingRow[]> = {
  'headless-without-api-route': [['headless-without-api-route', 'error', 6, 14, 6, 20]],
  'subscription-token-in-ci': [
    ['secret-unavailable-on-trigger', 'warning', 1, 5, 1, 17],
    ['unbounded-spend', 'notice', 6, 15, 6, 47],
    ['subscription-token-in-ci', 'error', 8, 36, 8, 74],
  ],
  'shadowed-credential': [
    ['unbounded-spend', 'notice', 6, 15, 6, 47],
    ['shadowed-credential', 'warning', 9, 36, 9, 74],
  ],
  'misnamed-credential-input': [
    ['headless-without-api-route', 'error', 6, 15, 6, 47],
    ['misnamed-credential-input', 'error', 8, 11, 8, 28],
  ],
  'hardcoded-credential': [
    ['hardcoded-credential', 'error', 8, 30, 8, 59],
    ['subscription-token-in-ci', 'error', 10, 14, 10, 83],
    ['hardcoded-credential', 'error', 10, 38, 10, 83],
    ['unbounded-spend', 'notice', 10, 84, 10, 90],
    ['hardcoded-credential', 'error', 13, 39, 13, 71],
    ['unbounded-spend', 'notice', 14, 11, 14, 17],
    ['shadowed-credential', 'warning', 16, 20, 16, 84],
    ['hardcoded-credential', 'error', 16, 38, 16, 83],
    ['unbounded-spend', 'notice', 18, 14, 18, 20],
    ['hardcoded-credential', 'error', 18, 76, 18, 110],
    ['unbounded-spend', 'notice', 20, 15, 20, 47],
    ['hardcoded-credential', 'error', 24, 35, 24, 67],
  ],
  'credential-exposed-in-log': [['credential-exposed-in-log', 'error', 7, 16, 7, 53]],
  'interactive-claude-in-ci': [['interactive-claude-in-ci', 'error', 7, 14, 7, 20]],
  'broad-credential-scope': [['broad-credential-scope', 'warning', 3, 3, 3, 20]],
  'secret-unavailable-on-trigger': [['secret-unavailable-on-trigger', 'warning', 1, 5, 1, 17]],
  'untrusted-checkout-with-secrets': [['untrusted-checkout-with-secrets', 'error', 9, 16, 9, 57]],
  'lookalike-claude': [['lookalike-claude', 'warning', 6, 15, 6, 46]],
  'vulnerable-action-version': [['vulnerable-action-version', 'warning', 7, 15, 7, 52]],
  'third-party-endpoint': [['third-party-endpoint', 'notice', 9, 31, 9, 56]],
  'unbounded-spend': [['unbounded-spend', 'notice', 6, 15, 6, 47]],
  'unused-credential': [['unused-credential', 'notice', 6, 7, 6, 24]],
  'parse-error': [['parse-error', 'error', 4, 14, 4, 15]],
  'ignore-without-reason': [['ignore-without-reason', 'notice', 6, 7, 6, 52]],
  'unused-ignore': [['unused-ignore', 'notice', 7, 7, 7, 63]],
  'malformed-ignore': [
    ['malformed-ignore', 'notice', 6, 7, 6, 82],
    ['unbounded-spend', 'notice', 7, 14, 7, 20],
  ],
  'unused-allow': [
    ['unused-allow', 'notice', 3, 10, 3, 18],
    ['subscription-token-in-ci', 'error', 9, 36, 9, 74],
  ],
};

describe('every rule, on the examples of its docs page', () => {
  const ids = [...RULES.map((r) => r.id), ...ENGINE_RULES.map((r) => r.id)];
  it("has a docs page and the Bad example's findings for every rule, its own among them", () => {
    expect(Object.keys(BAD).sort()).toEqual([...ids].sort());
    expect(ids.filter((id) => !BAD[id]!.some(([rule]) => rule === id))).toEqual([]);
  });
  for (const id of ids) {
    it(`${id}: Bad gives exactly these findings of every rule; Good gives none of its own`, () => {
      expect(findingsOf(example(id, 'Bad'), id)).toEqual(BAD[id]);
      expect(findingsOf(example(id, 'Good'), id).filter(([rule]) => rule === id)).toEqual([]);
    });
  }
});

/** Where each run rule fires on its page's Workflow example, given the Bad log; the Good log is clean. */
const RUN_BAD_AT: Record<string, [number, number, number][]> = {
  'run-route-mismatch': [[9, 15, 47]],
  'unproved-run': [[9, 15, 47]],
};

/** A run rule's findings: the Workflow example's Claude step, as the action reads it, against one log. */
function runFindingsOf(id: string, log: string): [number, number, number][] {
  const workflow = example(id, 'Workflow');
  const repo = mkdtempSync(join(tmpdir(), 'crg-run-rule-'));
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(repo, '.github', 'workflows', 'example.yml'), workflow);
  writeFileSync(join(repo, 'log.json'), log);
  const parsed = parseFile('.github/workflows/example.yml', workflow);
  if (parsed.kind !== 'workflow') throw new Error(`docs/rules/${id}.md: its Workflow example is no workflow`);
  const { byFile } = declarations({
    workflow: parsed,
    job: parsed.jobs[0]!,
    rows: scanAt(repo, ['.github/workflows/example.yml']).routes,
    files: 1,
    action: undefined,
    expectedRoute: undefined,
    runnerKinds: [],
  });
  const verified = verifyLogFile('log.json', join(repo, 'log.json'), 1024 * 1024, byFile[0]!);
  if ('reason' in verified)
    throw new Error(`docs/rules/${id}.md: a log example cannot be read: ${verified.reason}`);
  return runFindings(verified, byFile[0]!)
    .filter((f) => f.rule === id && f.file === '.github/workflows/example.yml')
    .map((f) => [f.span.line, f.span.column, f.span.endColumn]);
}

describe('every run rule, on the Workflow and the logs of its docs page', () => {
  it('has an expected position for every run rule', () => {
    expect(Object.keys(RUN_BAD_AT).sort()).toEqual(RUN_RULES.map((r) => r.id).sort());
  });
  for (const { id } of RUN_RULES) {
    it(`${id}: fires on the Claude step's route row with the Bad log, not at all with the Good one`, () => {
      expect(runFindingsOf(id, example(id, 'Bad', 'json'))).toEqual(RUN_BAD_AT[id]);
      expect(runFindingsOf(id, example(id, 'Good', 'json'))).toEqual([]);
    });
  }
});

describe("every rule docs page's Good example", () => {
  // Every page, the runtime rules' too: a user copies the Good example as it stands.
  const pages = readdirSync(join(ROOT, 'docs', 'rules'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -'.md'.length));

  it('covers every rule, the runtime rules too', () => {
    expect([...pages].sort()).toEqual([...ALL_RULE_IDS].sort());
  });

  for (const id of pages) {
    // A run rule's Good example is a log: the workflow a user copies is its Workflow example.
    const copied = RUN_RULES.some((r) => r.id === id) ? example(id, 'Workflow') : example(id, 'Good');
    it(`${id}: raises no finding of any rule, so a user copying it gets a clean scan`, () => {
      expect(scanExample(copied, id).findings.map((f) => [f.rule, f.span.line, f.span.column])).toEqual([]);
    });
  }
});

describe('untrusted-checkout-with-secrets docs page: the workflow_run example', () => {
  const page = readFileSync(join(ROOT, 'docs', 'rules', 'untrusted-checkout-with-secrets.md'), 'utf8');
  const guarded = /```yaml\n(on:\n {2}workflow_run:[\s\S]*?)```/.exec(page)?.[1] ?? '';
  const rows = (yaml: string): (string | number)[][] =>
    scanExample(yaml, 'untrusted-checkout-with-secrets').findings.map((f) => [
      f.rule,
      f.severity,
      f.span.line,
      f.span.column,
      ...(f.related ?? []).map((r) => `${r.label} ${r.span.line}:${r.span.column}`),
    ]);

  it("is clean with its pull_requests[0] guard, and an error at the checkout's ref without it, naming the trigger", () => {
    expect(guarded).toContain('pull_requests[0]');
    expect(rows(guarded)).toEqual([]);
    const unguarded = guarded.replace(' && github.event.workflow_run.pull_requests[0]', '');
    expect(rows(unguarded)).toEqual([
      ['untrusted-checkout-with-secrets', 'error', 13, 16, 'the workflow_run trigger 2:3'],
    ]);
  });
});

describe('edge cases found on the real corpus', () => {
  const RULES_REPO = join(FIXTURES, 'rules');
  const at = (file: string, rule: string): [number, number][] =>
    scanAt(RULES_REPO, [`.github/workflows/${file}`])
      .findings.filter((f) => f.rule === rule)
      .map((f) => [f.span.line, f.span.column]);

  it('does not flag a key tested inside $(...), masked, or written to GITHUB_ENV; flags base64, env dumps, set -x and cat', () => {
    expect(at('echo-test-only.yml', 'credential-exposed-in-log')).toEqual([
      [11, 16],
      [12, 11],
      [13, 11],
      [16, 15],
    ]);
  });

  it('reads -p from a flags array, leaves unknown expansions alone, and flags setup-token', () => {
    expect(at('flags-array.yml', 'interactive-claude-in-ci')).toEqual([[13, 18]]);
  });

  it("respects a job's event filter, and reports pull_request_target that checks out the PR head", () => {
    const report = scanAt(RULES_REPO, ['.github/workflows/event-filter.yml']);
    const found = report.findings.filter((f) =>
      ['secret-unavailable-on-trigger', 'untrusted-checkout-with-secrets'].includes(f.rule),
    );
    expect(found.map((f) => [f.rule, f.span.line, f.span.column, f.severity])).toEqual([
      ['secret-unavailable-on-trigger', 2, 3, 'warning'],
      ['untrusted-checkout-with-secrets', 22, 16, 'error'],
    ]);
    expect(found[0]!.message).toMatch(/^Job `on-prs` needs secrets\.ANTHROPIC_API_KEY on pull_request/);
    expect(found[1]!.message).toMatch(
      /^Job `on-prs` runs on pull_request_target \(line 5\) with the base repository's secrets, checks out the pull request's code here and then runs Claude Code with secrets\.ANTHROPIC_API_KEY:/,
    );
    expect(found[1]!.related).toEqual([
      {
        file: '.github/workflows/event-filter.yml',
        span: expect.objectContaining({ line: 5, column: 3 }),
        label: 'the pull_request_target trigger',
      },
    ]);
  });

  it('counts a step timeout, --max-budget-usd and a bounded reusable workflow as limits; advises no timeout on a uses job', () => {
    const report = scanAt(RULES_REPO, ['.github/workflows/spend-limits.yml']);
    const found = report.findings.filter((f) => f.rule === 'unbounded-spend');
    expect(found.map((f) => [f.span.line, f.span.column])).toEqual([[24, 15]]);
    expect(found[0]!.message).toContain(
      'Add `timeout-minutes: 30` to the job or to this step, or `--max-turns 20` or `--max-budget-usd 5` in the action',
    );
  });

  it('names every secret a trigger leaves empty', () => {
    const found = scanAt(RULES_REPO, ['.github/workflows/two-secrets.yml']).findings;
    expect(found.map((f) => [f.rule, f.span.line, f.span.column])).toEqual([
      ['secret-unavailable-on-trigger', 3, 3],
    ]);
    expect(found[0]!.message).toMatch(
      /^Jobs `api` and `gateway` need secrets\.ANTHROPIC_API_KEY and secrets\.TEAM_GATEWAY_KEY on pull_request, .* so they arrive empty/,
    );
  });

  it('tells `secrets: inherit` into a Vertex workflow to pass the secrets that workflow reads, not an Anthropic key', () => {
    const found = scanAt(RULES_REPO, ['.github/workflows/inherit-vertex.yml']).findings.filter(
      (f) => f.rule === 'broad-credential-scope',
    );
    expect(found.map((f) => [f.span.line, f.span.column])).toEqual([[6, 14]]);
    expect(found[0]!.message).toContain(
      '`secrets: { GCP_SERVICE_ACCOUNT: "${{ secrets.GCP_SERVICE_ACCOUNT }}", GCP_WORKLOAD_IDENTITY_PROVIDER: "${{ secrets.GCP_WORKLOAD_IDENTITY_PROVIDER }}" }`',
    );
    expect(found[0]!.message).not.toContain('ANTHROPIC_API_KEY');
  });

  it('finds a real key shape and a plausible plain-text key, not a comment or a test placeholder, and never prints them', () => {
    const report = scanAt(RULES_REPO, ['.github/workflows/hardcoded.yml']);
    const found = report.findings.filter((f) => f.rule === 'hardcoded-credential');
    expect(found.map((f) => [f.span.line, f.span.column])).toEqual([
      [10, 30],
      [13, 30],
    ]);
    for (const f of found) expect(f.message).not.toMatch(/sk-ant-api03-A|q8Zr2L/);
  });
});
