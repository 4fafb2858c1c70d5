/**
 * The check run channel (`annotations` input): every finding as one annotation of a check run, in
 * batches of 50, against a fake GitHub on 127.0.0.1; workflow commands for whatever it could not take.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  annotatable,
  checkRunAnnotation,
  checkRunConclusion,
  checkRunTitle,
  CHECK_RUN_NAME,
  CHECK_RUN_SUMMARY_LIMIT,
  publishCheckRun,
  type ApiConnection,
  type CheckRunPlan,
} from '../src/report/check-run.js';
import { loadPolicy } from '../src/policy/load.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../src/types.js';
import { pullRequestEvent, runAction } from './action-run.js';
import { FakeGitHub, type CheckAnnotation } from './github-server.js';
import { cliAt, closedAddress, FIXTURES, PATIENT_MS, REPO, scanAt } from './helpers.js';
import { forgedCommands, masksOf } from './runner-log.js';

const TOKEN = 'ghs_checkruntoken123';
const HEAD = 'c0ffee1234567890abcdef1234567890abcdef12';
const github = new FakeGitHub();
let apiUrl = '';

beforeAll(async () => {
  apiUrl = await github.start();
});
afterAll(async () => {
  await github.stop();
});
beforeEach(() => {
  github.mode = 'ok';
  github.requests.length = 0;
  github.resetChecks();
});

function workspace(files: Record<string, string>): string {
  const root = join(mkdtempSync(join(tmpdir(), 'crg-checks-')), 'ws');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/**
 * 120 findings: 50 jobs that each pass `api-key` (two errors on one line each) and 20 allow entries that
 * allow nothing (a notice over the lines of each entry). Built so that the order annotations are spent in
 * (most severe first, first of each rule before repeats) is the CLI's order, errors before notices.
 */
function manyFindings(): string {
  const jobs = Array.from({ length: 50 }, (_, i) =>
    [
      `  j${i}:`,
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: anthropics/claude-code-action@v1',
      '        with:',
      '          api-key: ${{ secrets.K }}',
    ].join('\n'),
  );
  const allow = Array.from({ length: 20 }, (_, i) =>
    [
      `  - workflow: .github/workflows/gone-${i}.yml`,
      '    routes: [api-key]',
      '    reason: A workflow that was removed',
    ].join('\n'),
  );
  return workspace({
    '.github/workflows/many.yml': `on: push\njobs:\n${jobs.join('\n')}\n`,
    '.github/claude-route-guard.yml': `allow:\n${allow.join('\n')}\n`,
  });
}

interface JsonFinding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** The findings as the CLI's JSON reports them, most severe first. */
function cliFindings(ws: string): JsonFinding[] {
  const report = JSON.parse(cliAt(ws, ['--format', 'json', '--fail-on', 'never']).out) as {
    findings: JsonFinding[];
  };
  return report.findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

const LEVEL: Record<Severity, string> = { error: 'failure', warning: 'warning', notice: 'notice' };

/** Each finding at its exact place, as the Checks API takes it: columns only on a one-line span. */
function annotationOf(f: JsonFinding, message = f.message): CheckAnnotation {
  return {
    path: f.file,
    start_line: f.line,
    end_line: f.endLine,
    ...(f.line === f.endLine ? { start_column: f.column, end_column: f.endColumn } : {}),
    annotation_level: LEVEL[f.severity],
    message,
    title: `claude-route-guard: ${f.rule}`,
  };
}

/** The workflow command the runner reads for a finding, property by property. */
function commandOf(f: JsonFinding): string {
  const columns = f.line === f.endLine ? `,col=${f.column},endColumn=${f.endColumn}` : '';
  return `::${f.severity} title=claude-route-guard%3A ${f.rule},file=${f.file},line=${f.line},endLine=${f.endLine}${columns}::${f.message}`;
}

interface SentCheck {
  method: string;
  url: string;
  body: {
    name?: string;
    head_sha?: string;
    status?: string;
    conclusion?: string;
    output: { title: string; summary: string; annotations?: CheckAnnotation[] };
  };
}

function checkRequests(): SentCheck[] {
  return github.requests
    .filter((r) => r.url.includes('/check-runs'))
    .map((r) => {
      expect(r.authorization).toMatch(new RegExp(`^(token|Bearer) ${TOKEN}$`));
      return { method: r.method, url: r.url, body: JSON.parse(r.body) as SentCheck['body'] };
    });
}

function onPush(ws: string, inputs: Record<string, string> = {}): ReturnType<typeof runAction> {
  return runAction(
    { 'github-token': TOKEN, 'fail-on': 'error', 'runtime-check': 'false', ...inputs },
    { GITHUB_WORKSPACE: ws, GITHUB_API_URL: apiUrl, GITHUB_SHA: HEAD },
  );
}

const annotationLines = (stdout: string): string[] =>
  stdout.match(/^::(error|warning|notice) title=claude-route-guard.*$/gm) ?? [];

/** The 120 findings through the action on a push, with what the CLI found there as annotations. */
async function runOnMany(inputs: Record<string, string> = {}): Promise<{
  found: JsonFinding[];
  expected: CheckAnnotation[];
  run: Awaited<ReturnType<typeof runAction>>;
}> {
  const ws = manyFindings();
  const found = cliFindings(ws);
  return { found, expected: found.map((f) => annotationOf(f)), run: await onPush(ws, inputs) };
}

describe('the check run, against a fake GitHub', () => {
  it('takes 120 findings as one create with 50 annotations and two updates with 50 and 20', async () => {
    const { expected, run } = await runOnMany();
    expect(run.status).toBe(1);
    const id = github.checkRuns[0]!.id;
    const title = '100 errors, 20 notices in 50 Claude Code runs';
    const sent = checkRequests();
    const summary = sent[0]!.body.output.summary;
    expect(sent).toEqual([
      {
        method: 'POST',
        url: '/repos/octo/repo/check-runs',
        body: {
          name: 'claude-route-guard',
          head_sha: HEAD,
          status: 'completed',
          conclusion: 'failure',
          output: { title, summary, annotations: expected.slice(0, 50) },
        },
      },
      {
        method: 'PATCH',
        url: `/repos/octo/repo/check-runs/${id}`,
        body: { output: { title, summary, annotations: expected.slice(50, 100) } },
      },
      {
        method: 'PATCH',
        url: `/repos/octo/repo/check-runs/${id}`,
        body: { output: { title, summary, annotations: expected.slice(100) } },
      },
    ]);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]!.annotations).toEqual(expected);
    // The summary is the job summary's route table and findings, cut within the API's limit with a note.
    const note =
      '\n\n> The summary was cut at GitHub’s size limit; run the CLI with `--format json` for the full list.\n';
    expect(summary.length).toBeLessThanOrEqual(CHECK_RUN_SUMMARY_LIMIT);
    expect(summary.endsWith(note)).toBe(true);
    expect(run.summary.startsWith(summary.slice(0, -note.length))).toBe(true);
    expect(summary).toContain('| Workflow | Job | Step | Invocation | Route | Credential source | Verdict |');
    // Every finding is in the check run, so none is a workflow command; the step still fails by fail-on.
    expect(annotationLines(run.stdout)).toEqual([]);
    expect(run.stdout).toContain(
      `The check run claude-route-guard holds all 120 annotation(s): https://github.com/octo/repo/runs/${id}`,
    );
    expect(run.stdout).toContain(
      '::error::claude-route-guard found 100 error(s), 0 warning(s) and 20 notice(s); fail-on is error.',
    );
    expect(run.outputs['check-run-url']).toBe(`https://github.com/octo/repo/runs/${id}`);
  });

  it('falls back to workflow commands with the usual caps and one warning when create answers 403', async () => {
    github.mode = 'forbidden';
    const { found, run } = await runOnMany({ 'fail-on': 'never' });
    expect(run.status).toBe(0);
    // One request, not retried: a 4xx would be refused again.
    expect(checkRequests().map((s) => [s.method, s.url, s.body.output.annotations?.length])).toEqual([
      ['POST', '/repos/octo/repo/check-runs', 50],
    ]);
    const warning =
      'The check run was not created: the token may not write checks here (HTTP 403; usual on pull requests from forks, with a personal access token, or without `checks: write`). The findings are annotated with workflow commands instead.';
    expect(run.stdout.match(/^::warning.*$/gm)).toEqual([`::warning::${warning}`]);
    // Ten errors, nine notices and the notice that counts the rest (one warning slot went to the warning).
    const errors = found.filter((f) => f.severity === 'error');
    const notices = found.filter((f) => f.severity === 'notice');
    expect(annotationLines(run.stdout)).toEqual([
      ...errors.slice(0, 10).map(commandOf),
      ...notices.slice(0, 9).map(commandOf),
    ]);
    expect(run.stdout).toContain(
      '::notice::101 finding(s) are not annotated because GitHub shows at most 10 per severity and 50 per job; the job summary lists them all.',
    );
    expect(run.summary).toContain(
      '> The check run was not created: the token may not write checks here (HTTP 403;',
    );
    expect(run.outputs['check-run-url']).toBe('');
  });

  it('sends what the second update could not as workflow commands, with one warning naming 500', async () => {
    // Requests: the create, the first update, the second update and its one retry.
    github.checkRunFault = (n) => (n >= 3 ? 500 : undefined);
    const { found, expected, run } = await runOnMany();
    expect(run.status).toBe(1);
    const id = github.checkRuns[0]!.id;
    expect(checkRequests().map((s) => [s.method, s.url, s.body.output.annotations])).toEqual([
      ['POST', '/repos/octo/repo/check-runs', expected.slice(0, 50)],
      ['PATCH', `/repos/octo/repo/check-runs/${id}`, expected.slice(50, 100)],
      ['PATCH', `/repos/octo/repo/check-runs/${id}`, expected.slice(100)],
      ['PATCH', `/repos/octo/repo/check-runs/${id}`, expected.slice(100)],
    ]);
    expect(github.checkRuns[0]!.annotations).toEqual(expected.slice(0, 100));
    expect(run.stdout.match(/^::warning.*$/gm)).toEqual([
      '::warning::The check run claude-route-guard holds 100 of 120 annotation(s): the GitHub API answered HTTP 500, and again on the one retry. The other 20 are annotated with workflow commands instead.',
    ]);
    // The 20 notices not sent: nine fit beside the notice that counts the rest.
    expect(annotationLines(run.stdout)).toEqual(
      found
        .filter((f) => f.severity === 'notice')
        .slice(0, 9)
        .map(commandOf),
    );
    expect(run.stdout).toContain(
      '::notice::11 finding(s) are not annotated because GitHub shows at most 10 per severity and 50 per job; the job summary lists them all.',
    );
    expect(run.outputs['check-run-url']).toBe(`https://github.com/octo/repo/runs/${id}`);
  });

  it('tries a request GitHub answers with 5xx once more, and goes on when the retry is taken', async () => {
    github.checkRunFault = (n) => (n === 2 ? 502 : undefined);
    const { expected, run } = await runOnMany();
    const id = github.checkRuns[0]!.id;
    expect(checkRequests().map((s) => [s.method, s.url, s.body.output.annotations?.length])).toEqual([
      ['POST', '/repos/octo/repo/check-runs', 50],
      ['PATCH', `/repos/octo/repo/check-runs/${id}`, 50],
      ['PATCH', `/repos/octo/repo/check-runs/${id}`, 50],
      ['PATCH', `/repos/octo/repo/check-runs/${id}`, 20],
    ]);
    expect(github.checkRuns[0]!.annotations).toEqual(expected);
    expect(run.stdout).not.toMatch(/^::warning/m);
    expect(annotationLines(run.stdout)).toEqual([]);
  });
});

describe('a failed request, in this process', () => {
  const plan = (findings: Finding[]): CheckRunPlan => ({
    name: CHECK_RUN_NAME,
    owner: 'octo',
    repo: 'repo',
    headSha: HEAD,
    conclusion: 'failure',
    output: { title: 'title', summary: 'summary' },
    findings,
  });
  // Patient with a server that answers; only the test of one that never does waits out a short timeout.
  const api = (timeoutMs = PATIENT_MS): ApiConnection => ({
    token: TOKEN,
    apiUrl,
    timeoutMs,
    retryDelayMs: 0,
  });

  it('is not retried at a spent rate limit, which GitHub answers with 403 or 429', async () => {
    const findings = scanAt(join(FIXTURES, 'repo'), ['.github/workflows/misnamed.yml']).findings;
    github.checkRunFault = () => ({ status: 403, headers: { 'x-ratelimit-remaining': '0' } });
    expect(await publishCheckRun(plan(findings), api())).toEqual({
      created: false,
      sent: 0,
      failure: 'the GitHub API rate limit is spent (HTTP 403)',
    });
    github.checkRunFault = (n) => (n === 2 ? { status: 429, headers: { 'retry-after': '60' } } : undefined);
    expect(await publishCheckRun(plan(findings), api())).toEqual({
      created: false,
      sent: 0,
      failure: 'the GitHub API rate limit is spent (HTTP 429); GitHub asks to wait 60 s',
    });
    expect(checkRequests().map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('is not retried when GitHub does not answer within the timeout', async () => {
    github.mode = 'hang';
    expect(await publishCheckRun(plan([]), api(1000))).toEqual({
      created: false,
      sent: 0,
      failure: 'the GitHub API did not answer within 1 s',
    });
    expect(github.requests.map((r) => [r.method, r.url, JSON.parse(r.body) as unknown])).toEqual([
      [
        'POST',
        '/repos/octo/repo/check-runs',
        {
          name: 'claude-route-guard',
          head_sha: HEAD,
          status: 'completed',
          conclusion: 'failure',
          output: { title: 'title', summary: 'summary' },
        },
      ],
    ]);
  });
});

describe('a hostile pull request and the check run', () => {
  it('cannot break the request body or an annotation with its file names, job ids or step names', async () => {
    const hostile = join(FIXTURES, 'hostile');
    const ws = workspace({});
    const workflows = join(ws, '.github', 'workflows');
    mkdirSync(workflows, { recursive: true });
    const names: Record<string, string> = {
      'markup.yml': 'markup.yml',
      'terminal.yml': 'terminal.yml',
      'snippet-command.yml': 'nightly.yml',
      'subscription.yml': '##[stop-commands]pause.yml',
    };
    for (const [fixture, name] of Object.entries(names))
      copyFileSync(join(hostile, fixture), join(workflows, name));
    // File names that try to close the JSON string, forge a command on a new line, or reorder the text.
    for (const name of [
      'q"},{"path":"forged.yml","start_line":1}],"x":".yml',
      'x\n::add-mask::error\n::set-output name=errors::0.yml',
      'r\u202eevil.yml',
    ])
      copyFileSync(join(hostile, 'subscription.yml'), join(workflows, name));
    const found = cliFindings(ws);
    const run = await runAction(
      { 'github-token': TOKEN, 'fail-on': 'never', 'runtime-check': 'false' },
      {
        GITHUB_WORKSPACE: ws,
        GITHUB_API_URL: apiUrl,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: pullRequestEvent(7, false, HEAD),
        GITHUB_SHA: 'ffffffffffffffffffffffffffffffffffffffff',
      },
    );
    expect(run.status).toBe(0);
    const [create, ...updates] = checkRequests();
    expect(updates).toEqual([]);
    // On the pull request's head commit, not the merge commit GITHUB_SHA names.
    expect(create!.body.head_sha).toBe(HEAD);
    // Controls show as their codes, in the message only: the path is the file's own name, as data.
    const shown = (text: string): string =>
      // eslint-disable-next-line no-control-regex
      text.replace(/[\n\r\u001b\u202e]/g, (c) =>
        c === '\u202e' ? '\\u202e' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
      );
    const byPlace = (a: CheckAnnotation, b: CheckAnnotation): number =>
      a.path.localeCompare(b.path) ||
      a.start_line - b.start_line ||
      (a.start_column ?? 0) - (b.start_column ?? 0) ||
      (a.title ?? '').localeCompare(b.title ?? '') ||
      a.message.localeCompare(b.message);
    const sent = create!.body.output.annotations!;
    expect([...sent].sort(byPlace)).toEqual(
      found.map((f) => annotationOf(f, shown(f.message))).sort(byPlace),
    );
    expect(github.checkRuns[0]!.annotations).toEqual(sent);
    // eslint-disable-next-line no-control-regex
    const unseen = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    for (const a of sent) expect(a.message).not.toMatch(unseen);
    expect(sent.map((a) => a.path)).toContain(
      '.github/workflows/x\n::add-mask::error\n::set-output name=errors::0.yml',
    );
    expect(sent.map((a) => a.message)).toContainEqual(
      expect.stringContaining('forged\\x0a::add-mask::error\\x0a##[stop-commands]pause'),
    );
    // The summary is Markdown, and nothing in it is live.
    const summary = create!.body.output.summary;
    expect(summary).not.toMatch(/<img|<!--|\]\(https:\/\/evil|@octo-org/);
    expect(summary).toContain('x&lt;img src=x onerror=alert(1)&gt;');
    expect(forgedCommands(run.stdout)).toEqual([]);
    expect(masksOf(run.stdout)).toEqual([TOKEN]);
  });
});

describe('the annotations input', () => {
  /** The fixture repository's workflow that passes `api-key`, alone in a workspace. */
  const misnamed = (): string => {
    const ws = workspace({});
    mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
    copyFileSync(
      join(REPO, '.github', 'workflows', 'misnamed.yml'),
      join(ws, '.github', 'workflows', 'misnamed.yml'),
    );
    return ws;
  };

  it('commands: workflow commands only, and no request', async () => {
    const ws = misnamed();
    const run = await onPush(ws, { annotations: 'commands' });
    expect(run.status).toBe(1);
    expect(github.requests).toEqual([]);
    expect(annotationLines(run.stdout)).toEqual(cliFindings(ws).map(commandOf));
    expect(run.stdout).not.toMatch(/^::warning/m);
    expect(run.outputs['check-run-url']).toBe('');
  });

  it('auto without a token: workflow commands, no request and no warning; check-run says why', async () => {
    const ws = misnamed();
    const commands = cliFindings(ws).map(commandOf);
    const auto = await onPush(ws, { 'github-token': '' });
    expect(annotationLines(auto.stdout)).toEqual(commands);
    expect(auto.stdout).not.toMatch(/^::warning/m);
    const asked = await onPush(ws, { 'github-token': '', annotations: 'check-run' });
    expect(annotationLines(asked.stdout)).toEqual(commands);
    expect(asked.stdout.match(/^::warning.*$/gm)).toEqual([
      '::warning::The check run was not created: the github-token input is empty. The findings are annotated with workflow commands instead.',
    ]);
    expect(github.requests).toEqual([]);
  });

  it('names what happened when the API cannot be reached at all, not an HTTP status', async () => {
    // A port that was just free on 127.0.0.1: nothing listens there, so the connection is refused.
    const closed = await closedAddress();
    const port = closed.slice('http://127.0.0.1:'.length);
    const ws = misnamed();
    const run = await runAction(
      { 'github-token': TOKEN, 'fail-on': 'error', 'runtime-check': 'false' },
      { GITHUB_WORKSPACE: ws, GITHUB_API_URL: closed, GITHUB_SHA: HEAD },
    );
    expect(run.status).toBe(1);
    expect(run.stdout.match(/^::warning.*$/gm)).toEqual([
      `::warning::The check run was not created: the GitHub API at 127.0.0.1:${port} could not be reached (the connection was refused). The findings are annotated with workflow commands instead.`,
    ]);
    expect(annotationLines(run.stdout)).toEqual(cliFindings(ws).map(commandOf));
  });

  it('refuses a value it does not know, by name', async () => {
    const run = await onPush(misnamed(), { annotations: 'both' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::input annotations must be one of auto, commands, check-run, not "both"',
    );
    expect(github.requests).toEqual([]);
  });
});

describe('what a check run is made of', () => {
  const scanned = (): ReturnType<typeof scanAt> => {
    const root = ws();
    return scanAt(root, [], loadPolicy(root, undefined));
  };
  const ws = (): string =>
    workspace({
      '.github/workflows/review.yml': [
        'on: push',
        'env:',
        '  ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
        'jobs:',
        '  review:',
        '    runs-on: ubuntu-latest',
        '    timeout-minutes: 10',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          api-key: ${{ secrets.K }}',
        '',
      ].join('\n'),
      '.github/claude-route-guard.yml': [
        'allow:',
        '  - workflow: .github/workflows/gone.yml',
        '    routes: [api-key]',
        '    reason: A workflow that was removed',
        '',
      ].join('\n'),
    });

  it('an annotation per finding: its level, its place, and columns only on a one-line span', () => {
    const report = scanned();
    expect(report.findings.map(checkRunAnnotation)).toEqual([
      {
        path: '.github/claude-route-guard.yml',
        start_line: 2,
        end_line: 5,
        annotation_level: 'notice',
        message: expect.stringContaining('This allow entry (workflow .github/workflows/gone.yml'),
        title: 'claude-route-guard: unused-allow',
      },
      {
        path: '.github/workflows/review.yml',
        start_line: 3,
        end_line: 3,
        start_column: 3,
        end_column: 20,
        annotation_level: 'warning',
        message: expect.stringContaining('ANTHROPIC_API_KEY is set in the workflow-level env'),
        title: 'claude-route-guard: broad-credential-scope',
      },
      {
        path: '.github/workflows/review.yml',
        start_line: 11,
        end_line: 11,
        start_column: 11,
        end_column: 18,
        annotation_level: 'failure',
        message: expect.stringContaining('passes secrets.K to anthropics/claude-code-action@v1 as `api-key`'),
        title: 'claude-route-guard: misnamed-credential-input',
      },
    ]);
  });

  it('only findings at a place in the repository: none about the runner, none outside the workspace', () => {
    const root = ws();
    mkdirSync(join(root, 'sub'));
    const outside = scanAt(join(root, 'sub'), ['../.github/workflows/review.yml']).findings;
    expect(outside.map((f) => [f.file, annotatable(f)])).toEqual([
      ['../.github/workflows/review.yml', false],
      ['../.github/workflows/review.yml', false],
    ]);
    const inside = scanAt(root, ['.github/workflows/review.yml']).findings;
    expect(inside.map((f) => [f.file, annotatable(f)])).toEqual([
      ['.github/workflows/review.yml', true],
      ['.github/workflows/review.yml', true],
    ]);
    expect(annotatable({ ...inside[0]!, file: '' })).toBe(false);
    expect(annotatable({ ...inside[0]!, file: join(root, '.github/workflows/review.yml') })).toBe(false);
    expect(annotatable({ ...inside[0]!, file: '..github/workflows/review.yml' })).toBe(true);
  });

  it('a conclusion from fail-on and a one-line title', () => {
    const { findings, routes } = scanned();
    expect(
      (['error', 'warning', 'notice', 'never'] as const).map((f) => checkRunConclusion(findings, f)),
    ).toEqual(['failure', 'failure', 'failure', 'neutral']);
    const notices = findings.filter((f) => f.severity === 'notice');
    expect(checkRunConclusion(notices, 'warning')).toBe('neutral');
    expect(checkRunConclusion([], 'notice')).toBe('success');
    expect(checkRunTitle(findings, routes.length)).toBe('1 error, 1 warning, 1 notice in 1 Claude Code run');
    expect(checkRunTitle([...findings, ...findings], 41)).toBe(
      '2 errors, 2 warnings, 2 notices in 41 Claude Code runs',
    );
    expect(checkRunTitle([], 0)).toBe('No findings in 0 Claude Code runs');
    // Under a confidence filter the title says what it left out: a filtered run never reads as a clean one.
    const hidden = { minConfidence: 'high' as const, findings: 3, byConfidence: { medium: 2, low: 1 } };
    expect(checkRunTitle(notices, 1, hidden)).toBe(
      '1 notice in 1 Claude Code run; 3 hidden below high confidence',
    );
  });
});
