import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import '@microsoft/jest-sarif';
import { runAction } from './action-run.js';
import { FIXTURES, REPO } from './helpers.js';
import { freshBundle } from './bundle.js';

describe('the bundled action', () => {
  it('annotates findings at their exact position and fails on errors', async () => {
    const run = await runAction({
      paths: '.github/workflows/misnamed.yml\n.github/workflows/action-key.yml',
      'fail-on': 'error',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error title=claude-route-guard%3A headless-without-api-route,file=.github/workflows/misnamed.yml,line=6,endLine=6,col=15,endColumn=47::Job `wrong-name` runs Claude Code headlessly',
    );
    expect(run.stdout).toContain(
      '::error::claude-route-guard found 2 error(s), 0 warning(s) and 0 notice(s); fail-on is error.',
    );
    expect(run.outputs).toMatchObject({ errors: '2', warnings: '0', notices: '0' });
    const routes = JSON.parse(run.outputs.routes!) as { route: string; file: string }[];
    // Nothing Claude-related on this runner and the job running the check is no Claude job: no runner row.
    expect(routes.map((r) => [r.file, r.route])).toEqual([
      ['.github/workflows/misnamed.yml', 'subscription-login'],
      ['.github/workflows/action-key.yml', 'api-key'],
    ]);
  });

  it('writes the route table to the job summary with links to the credential line', async () => {
    const run = await runAction({ paths: '.github/workflows/action-key.yml' });
    expect(run.status).toBe(0);
    expect(run.summary).toContain(
      '| Workflow | Job | Step | Invocation | Route | Credential source | Verdict |',
    );
    expect(run.summary).toContain(
      // Names from the files are inert: <code> instead of backticks, a zero-width space after `@` in text,
      // an entity in a code span (the invocation), so what a reader copies from it is exact.
      '| [<code>.github/workflows/action-key.yml</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/action-key.yml#L7) | review | anthropics/claude-code-action@\u200bv1 | <code>anthropics/claude-code-action&#64;v1</code> | api-key | ANTHROPIC_API_KEY from [<code>secrets.ANTHROPIC_API_KEY</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/action-key.yml#L9) (action-input, line 9) | ok |',
    );
  });

  it("takes the policy's fail-on when the input is empty, and the input's over the policy's", async () => {
    // The policy says fail-on: never; the workflow bills a person's plan, an error.
    const workspace = { GITHUB_WORKSPACE: join(FIXTURES, 'fail-on-repo') };
    const byPolicy = await runAction({ 'runtime-check': 'false' }, workspace);
    expect(byPolicy.status).toBe(0);
    expect(byPolicy.outputs).toMatchObject({ errors: '1', warnings: '0', notices: '0' });
    const byInput = await runAction({ 'fail-on': 'error', 'runtime-check': 'false' }, workspace);
    expect(byInput.status).toBe(1);
    expect(byInput.stdout).toContain(
      '::error::claude-route-guard found 1 error(s), 0 warning(s) and 0 notice(s); fail-on is error.',
    );
  });

  it('does not fail with fail-on never, and rejects a bad fail-on by name', async () => {
    expect((await runAction({ paths: '.github/workflows/misnamed.yml', 'fail-on': 'never' })).status).toBe(0);
    const bad = await runAction({ 'fail-on': 'loudly' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(
      '::error::input fail-on must be one of error, warning, notice, never, not "loudly"',
    );
  });

  it('annotates every mistake of the policy file at its own place, all in one run', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'crg-policy-'));
    mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(workspace, '.github', 'claude-route-guard.yml'), 'rule: {}\nfail-on: warnings\n');
    writeFileSync(join(workspace, '.github', 'workflows', 'ci.yml'), 'on: push\njobs: {}\n');
    const run = await runAction({}, { GITHUB_WORKSPACE: workspace });
    expect(run.status).toBe(1);
    const place = 'title=claude-route-guard%3A policy,file=.github/claude-route-guard.yml';
    expect(run.stdout.split('\n').filter((l) => l.includes(place))).toEqual([
      `::error ${place},line=1,col=1::unknown key "rule" (did you mean "rules"?); the policy has allow, rules and fail-on`,
      `::error ${place},line=2,col=10::fail-on must be one of error, warning, notice, never, not "warnings" (did you mean "warning"?)`,
    ]);
  });
});

/** Validates against the official SARIF 2.1.0 JSON schema shipped by @microsoft/jest-sarif. */
function expectValidSarif(log: unknown): void {
  (expect(log) as unknown as { toBeValidSarifLog(): void }).toBeValidSarifLog();
}

describe('input min-confidence', () => {
  const workspace = { GITHUB_WORKSPACE: join(FIXTURES, 'confidence') };
  const paths = '.github/workflows/sure-and-unsure.yml\n.github/actions/review/action.yml';

  it('leaves the less sure findings out of annotations, SARIF and the outputs, and says in the summary and the rows what it left out', async () => {
    const sarifFile = join(mkdtempSync(join(tmpdir(), 'crg-sarif-')), 'out.sarif');
    const every = await runAction({ paths, 'fail-on': 'warning', 'runtime-check': 'false' }, workspace);
    const sure = await runAction(
      {
        paths,
        'fail-on': 'warning',
        'min-confidence': 'high',
        'runtime-check': 'false',
        'sarif-file': sarifFile,
      },
      workspace,
    );
    const annotations = (stdout: string): string[] =>
      stdout
        .split('\n')
        .flatMap(
          (l) =>
            /^::(\w+) title=claude-route-guard%3A ([a-z-]+),file=([^,]+),line=(\d+)/
              .exec(l)
              ?.slice(1, 5)
              .join(' ') ?? [],
        );
    expect(annotations(every.stdout)).toEqual([
      'error subscription-token-in-ci .github/workflows/sure-and-unsure.yml 11',
      'warning subscription-token-in-ci .github/actions/review/action.yml 12',
      'warning secret-unavailable-on-trigger .github/workflows/sure-and-unsure.yml 4',
      'warning lookalike-claude .github/workflows/sure-and-unsure.yml 16',
      'warning subscription-token-in-ci .github/workflows/sure-and-unsure.yml 18',
      'warning subscription-token-in-ci .github/workflows/sure-and-unsure.yml 24',
    ]);
    expect(annotations(sure.stdout)).toEqual([
      'error subscription-token-in-ci .github/workflows/sure-and-unsure.yml 11',
      'warning secret-unavailable-on-trigger .github/workflows/sure-and-unsure.yml 4',
    ]);
    expect([
      every.outputs.errors,
      every.outputs.warnings,
      every.outputs.hidden,
      sure.outputs.errors,
      sure.outputs.warnings,
      sure.outputs.hidden,
    ]).toEqual(['1', '5', '0', '1', '1', '4']);
    expect(
      (JSON.parse(sure.outputs.routes!) as { job: string; verdict: string }[]).map(
        (r) => `${r.job} ${r.verdict}`,
      ),
    ).toEqual([
      'official error: subscription-token-in-ci',
      'fork warning: secret-unavailable-on-trigger',
      'tests hidden: subscription-token-in-ci (low confidence)',
      '(composite) hidden: subscription-token-in-ci (medium confidence)',
    ]);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as Log;
    expect(sarif.runs[0]!.results!.map((r) => r.ruleId)).toEqual([
      'subscription-token-in-ci',
      'secret-unavailable-on-trigger',
    ]);
    expect(sarif.runs[0]!.properties).toEqual({
      hidden: { minConfidence: 'high', findings: 4, byConfidence: { medium: 3, low: 1 } },
    });
    const headlines = (summary: string): string[] =>
      summary.split('\n').filter((l) => /Claude Code runs in|^### /.test(l));
    expect(headlines(sure.summary)).toEqual([
      '4 Claude Code runs in 2 of 2 files scanned: 1 error(s), 1 warning(s), 0 notice(s); 4 finding(s) hidden below high confidence (3 medium, 1 low).',
      '### Errors (1)',
      '### Warnings (1)',
    ]);
    expect(headlines(every.summary)).toEqual([
      '4 Claude Code runs in 2 of 2 files scanned: 1 error(s), 5 warning(s), 0 notice(s).',
      '### Errors (1)',
      '### Warnings (5)',
    ]);
    expect([every, sure].map((r) => r.stdout.split('\n').filter((l) => l.startsWith('::error::')))).toEqual([
      ['::error::claude-route-guard found 1 error(s), 5 warning(s) and 0 notice(s); fail-on is warning.'],
      [
        '::error::claude-route-guard found 1 error(s), 1 warning(s) and 0 notice(s); 4 finding(s) hidden below high confidence (3 medium, 1 low); fail-on is warning.',
      ],
    ]);
  });

  it('passes the step when only findings it leaves out reach fail-on', async () => {
    const wrapper = {
      paths: '.github/actions/review/action.yml',
      'fail-on': 'warning',
      'runtime-check': 'false',
    };
    const every = await runAction(wrapper, workspace);
    const sure = await runAction({ ...wrapper, 'min-confidence': 'high' }, workspace);
    expect([every.status, every.outputs.warnings, sure.status, sure.outputs.warnings]).toEqual([
      1,
      '1',
      0,
      '0',
    ]);
  });

  it('fails the step on a value it does not take, with the message alone', async () => {
    const bad = await runAction({ 'min-confidence': 'sure' }, workspace);
    expect([bad.status, bad.stdout.split('\n').filter((l) => l.startsWith('::error')), bad.stderr]).toEqual([
      1,
      ['::error::input min-confidence must be one of high, medium, low, not "sure"'],
      '',
    ]);
  });
});

describe('SARIF and annotation limits', () => {
  it('writes SARIF 2.1.0 with one result per finding, rule metadata and exact regions', async () => {
    const run = await runAction({
      paths: '.github/workflows/misnamed.yml',
      'sarif-file': 'out/results.sarif',
      'fail-on': 'never',
    });
    expect(run.status).toBe(0);
    const path = run.outputs['sarif-file']!;
    expect(path).toBe(join(REPO, 'out', 'results.sarif'));
    const sarif = JSON.parse(readFileSync(path, 'utf8')) as Log;
    rmSync(join(REPO, 'out'), { recursive: true, force: true });
    expect(sarif.version).toBe('2.1.0');
    expectValidSarif(sarif);
    const [runLog] = sarif.runs;
    const rules = runLog!.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(
      expect.arrayContaining(['headless-without-api-route', 'misnamed-credential-input']),
    );
    for (const r of rules) {
      expect(r.shortDescription?.text).toBeTruthy();
      expect(r.fullDescription?.text).toBeTruthy();
      expect(r.helpUri).toMatch(new RegExp(`/docs/rules/${r.id}\\.md$`));
    }
    expect(
      runLog!.results!.map((r) => [r.ruleId, r.level, r.locations![0]!.physicalLocation!.region]),
    ).toEqual([
      ['headless-without-api-route', 'error', { startLine: 6, startColumn: 15, endLine: 6, endColumn: 47 }],
      ['misnamed-credential-input', 'error', { startLine: 8, startColumn: 11, endLine: 8, endColumn: 18 }],
    ]);
    for (const r of runLog!.results!) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it('annotates at most ten per severity, most severe first, and says where the rest are', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'crg-many-'));
    mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
    const jobs = Array.from({ length: 12 }, (_, i) =>
      [
        `  j${i}:`,
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          api-key: ${{ secrets.K }}',
      ].join('\n'),
    );
    writeFileSync(
      join(workspace, '.github', 'workflows', 'many.yml'),
      `on: push\njobs:\n${jobs.join('\n')}\n`,
    );
    const run = await runAction({ 'fail-on': 'never' }, { GITHUB_WORKSPACE: workspace });
    expect(run.stdout.match(/^::error /gm)).toHaveLength(10);
    expect(run.stdout).toContain(
      '::notice::14 finding(s) are not annotated because GitHub shows at most 10 per severity and 50 per job; the job summary lists them all.',
    );
    expect(run.summary.match(/\*\*misnamed-credential-input\*\*/g)).toHaveLength(12);
    expect(run.outputs.errors).toBe('24');
  });
});

describe('runtime findings in the action', () => {
  it("are placed on the job's key in the workflow that runs the step", async () => {
    // gateway.yml declares ANTHROPIC_AUTH_TOKEN for job `gateway`; this runner has none of it.
    const run = await runAction(
      { paths: '.github/workflows/gateway.yml', 'fail-on': 'never' },
      {
        GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/gateway.yml@refs/heads/main',
        GITHUB_JOB: 'gateway',
        RUNNER_ENVIRONMENT: 'self-hosted',
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      '::warning title=claude-route-guard%3A runtime-route-mismatch,file=.github/workflows/gateway.yml,line=3,endLine=3,col=3,endColumn=10::On this runner, job `gateway` has no Claude credential, so Claude Code would look for a stored subscription login, which a fresh runner does not have: the run stops at a sign-in error. The workflow declares gateway-token (ANTHROPIC_AUTH_TOKEN). Check that the secret behind ANTHROPIC_AUTH_TOKEN exists in this repository or organisation and that the job passes it.',
    );
    expect(run.summary).toMatch(/\| \*\*this runner\*\* \| gateway \| \| this runner \(self-hosted, /);
    // A fact, not a route: the row does not name a route it then says would fail.
    const row = run.summary.split('\n').find((l) => l.startsWith('| **this runner**'))!;
    expect(row).toContain('| unknown: no Claude credential on this runner |');
    expect(row).toContain('| warning: runtime-route-mismatch |');
    expect(row).not.toMatch(/subscription-login|fail to authenticate/);
  });
});

describe('SARIF schema', () => {
  it('rejects a log the schema does not allow, so the check can fail', () => {
    expect(() => expectValidSarif({ version: '2.1.0', runs: [{ tool: {} }] })).toThrow();
  });
});

describe('the bundle', () => {
  it('starts without loading a network client when no comment, key check or remote call needs one', async () => {
    const hook = join(REPO, '..', 'loaded-modules.mjs');
    const run = await runAction(
      { paths: '.github/workflows/misnamed.yml', 'fail-on': 'never', 'runtime-check': 'true' },
      { NODE_OPTIONS: `--import=${hook}` },
    );
    expect(run.status).toBe(0);
    const loaded = JSON.parse(/LOADED (.*)/.exec(run.stderr)![1]!) as string[];
    // The check itself would pass vacuously if the list were not the real one.
    expect(loaded).toContain('NativeModule fs');
    expect(
      loaded.filter((m) => /^NativeModule (https?|tls|_http_client|internal\/deps\/undici)/.test(m)),
    ).toEqual([]);
  });

  it('keeps Octokit in a chunk of its own, loaded only when the PR comment is on', () => {
    const dist = freshBundle('folder');
    const main = readFileSync(join(dist, 'index.js'), 'utf8');
    const chunks = readdirSync(dist).filter((f) => /^\d+\.index\.js$/.test(f));
    expect(main).not.toContain('octokit.paginate');
    expect(main).not.toContain('@octokit/request');
    expect(chunks.some((c) => readFileSync(join(dist, c), 'utf8').includes('paginate'))).toBe(true);
  });
});

describe('references the engine cannot follow', () => {
  it('appear in the summary, in SARIF, and in one notice that counts them', async () => {
    const sarifDir = mkdtempSync(join(tmpdir(), 'crg-unfollowed-'));
    const run = await runAction(
      {
        paths: '.github/workflows/unfollowed.yml',
        'fail-on': 'never',
        'sarif-file': join(sarifDir, 'out.sarif'),
        // Offline: with resolve-remote the remote workflow is tried and its failure says why instead.
        'resolve-remote': 'false',
      },
      { GITHUB_WORKSPACE: join(FIXTURES, 'wrapped-repo') },
    );
    expect(run.status).toBe(0);
    expect(run.stdout.match(/^::notice .*not followed.*$/gm)).toEqual([
      '::notice title=claude-route-guard%3A not followed::2 reference(s) could not be followed, so the Claude runs behind them are not checked; the job summary lists them.',
    ]);
    expect(run.summary).toContain('### Not checked (2)');
    expect(run.summary).toContain(
      '- [<code>.github/workflows/unfollowed.yml:7:15</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/unfollowed.yml#L7): local action <code>./.github/actions/not-in-this-checkout</code> was not found',
    );
    expect(run.summary).toContain(
      '<code>.github/workflows/unfollowed.yml:9:11</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/unfollowed.yml#L9): reusable workflow <code>octo/shared/.github/workflows/claude.yml&#64;v2</code> is in another repository',
    );
    const sarif = JSON.parse(readFileSync(join(sarifDir, 'out.sarif'), 'utf8')) as Log;
    rmSync(sarifDir, { recursive: true, force: true });
    expectValidSarif(sarif);
    const notes = sarif.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    expect(
      notes.map((n) => [n.locations![0]!.physicalLocation!.region!.startLine, n.message.text?.slice(0, 40)]),
    ).toEqual([
      [7, 'Not followed: local action `./.github/ac'],
      [9, 'Not followed: reusable workflow `octo/sh'],
    ]);
  });
});
