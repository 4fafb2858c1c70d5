import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { loadFiles } from '../src/load.js';
import { scan, type Report, type RouteRow } from '../src/scan.js';
import { ShaCache } from '../src/sources/cache.js';
import { readRemoteCallees, type RemoteSettings } from '../src/remote-callees.js';
import { GitHubContents } from '../src/sources/github.js';
import { calleesOf } from '../src/sources/select.js';
import { isClaudeAction } from '../src/claude/actions.js';
import { parseFile } from '../src/workflow/model.js';
import type { Log } from 'sarif';
import { runCli } from '../src/cli.js';
import { runAction } from './action-run.js';
import { describeWithCorpus, rebuildReal } from './corpus.js';
import { FakeGitHub } from './github-server.js';
import { CORPUS, FIXTURES, PATIENT_MS } from './helpers.js';

const CALLER = join(FIXTURES, 'remote-repo');
const CALLEES = join(FIXTURES, 'remote-callees');
const SHA = '0123456789abcdef0123456789abcdef01234567';
/** What a scan of remote-repo asks the contents API for, sorted: each callee once, both action.yml spellings. */
const CALLEE_REQUESTS = [
  '/repos/acme/ai-actions/contents/claude-core/action.yaml?ref=v2',
  '/repos/acme/ai-actions/contents/claude-core/action.yml?ref=v2',
  '/repos/acme/ai-actions/contents/claude-review/action.yml?ref=v2',
  '/repos/acme/private-ai/contents/claude/action.yaml?ref=v1',
  '/repos/acme/private-ai/contents/claude/action.yml?ref=v1',
  `/repos/acme/shared-workflows/contents/.github/workflows/claude.yml?ref=${SHA}`,
  `/repos/acme/shared-workflows/contents/.github/workflows/inner.yml?ref=${SHA}`,
];
const TOKEN = 'ghs_remoteTestToken0123456789';
const INNER = `https://github.com/acme/shared-workflows/blob/${SHA}/.github/workflows/inner.yml`;
const CORE = 'https://github.com/acme/ai-actions/blob/v2/claude-core/action.yaml';
const NOT_READABLE =
  'not found, or not readable with this token: give the action a token that can read acme/private-ai';

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const github = new FakeGitHub();
let api = '';
beforeAll(async () => {
  api = await github.start();
});
afterAll(() => github.stop());
beforeEach(() => {
  github.requests.length = 0;
  github.files.clear();
  github.repoModes.clear();
  github.base64 = false;
  for (const file of filesUnder(CALLEES))
    github.files.set(relative(CALLEES, file).split(sep).join('/'), readFileSync(file, 'utf8'));
  github.repoModes.set('acme/private-ai', 'private');
});

/** The action writes its SARIF file into the workspace: a copy keeps the fixture clean. */
function copyOfCaller(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crg-remote-'));
  cpSync(CALLER, dir, { recursive: true });
  return dir;
}

function settings(extra: Partial<RemoteSettings> = {}): RemoteSettings {
  return {
    apiUrl: api,
    server: 'https://github.com',
    token: TOKEN,
    timeoutMs: PATIENT_MS,
    tokenHint: 'the action',
    known: isClaudeAction,
    ...extra,
  };
}

interface RemoteScan extends Report {
  requests: number;
  notices: string[];
}

async function scanRemote(extra: Partial<RemoteSettings> = {}): Promise<RemoteScan> {
  const options = { cwd: CALLER, repoName: 'octo/caller' };
  const remote = await readRemoteCallees([], options, settings(extra));
  const report = scan(loadFiles([], { ...options, remote: remote.lookup }, []));
  return {
    ...report,
    requests: remote.requests,
    notices: [
      ...remote.failures.map((f) => `${f.file}:${f.span.line}:${f.span.column}: ${f.uses}: ${f.why}`),
      ...remote.notes,
    ],
  };
}

function row(report: Report, job: string): RouteRow {
  const found = report.routes.find((r) => r.job === job);
  if (!found) throw new Error(`no row for job ${job}`);
  return found;
}

function brief(r: RouteRow): object {
  return {
    route: r.route,
    certainty: r.certainty,
    at: [r.line, r.column],
    via: r.via && [r.via.file, r.via.line],
  };
}

describe('remote callees through the GitHub contents API', () => {
  it('gives each job its true route through a remote composite action and a remote reusable workflow', async () => {
    const report = await scanRemote();
    expect(brief(row(report, 'composite'))).toEqual({
      route: 'api-key',
      certainty: 'known',
      at: [9, 15],
      via: [CORE, 9],
    });
    expect(brief(row(report, 'reusable'))).toEqual({
      route: 'subscription-oauth-token',
      certainty: 'known',
      at: [14, 11],
      via: [INNER, 7],
    });
    // The credential of the composite is the caller's; the reusable workflow's is in the remote file.
    expect(row(report, 'composite').credential).toMatchObject({
      file: '.github/workflows/shared.yml',
      line: 11,
    });
    expect(row(report, 'reusable').credential).toMatchObject({ file: INNER, line: 9, column: 36 });
    // A private or missing callee keeps its inferred row, with the reason said once.
    expect(brief(row(report, 'gone'))).toEqual({
      route: 'api-key',
      certainty: 'inferred',
      at: [20, 15],
      via: null,
    });
    expect(report.notices).toEqual([
      `.github/workflows/shared.yml:20:15: acme/private-ai/claude@v1: ${NOT_READABLE}`,
    ]);
    expect(report.unresolved).toEqual([
      {
        file: '.github/workflows/shared.yml',
        line: 20,
        column: 15,
        message: `action \`acme/private-ai/claude@v1\` could not be read: ${NOT_READABLE}`,
      },
    ]);
  });

  it('puts a finding inside a remote callee on the caller’s uses: line, naming the remote place', async () => {
    const report = await scanRemote();
    const finding = report.findings.find((f) => f.rule === 'subscription-token-in-ci');
    expect(finding).toMatchObject({ file: '.github/workflows/shared.yml', span: { line: 14, column: 11 } });
    expect(finding!.message).toContain(`${INNER}#L9`);
    expect(finding!.related![0]).toEqual({
      file: `${INNER}#L9`,
      span: { line: 9, column: 36, endLine: 9, endColumn: 74 },
      label: 'the place in the remote callee',
    });
    expect(report.findings.every((f) => !f.file.startsWith('https://'))).toBe(true);
  });

  it('asks once per repository, ref and path, with the token, following remote → remote and ./ in that repository', async () => {
    const report = await scanRemote();
    const urls = github.requests.map((r) => r.url).sort();
    expect(urls).toEqual(CALLEE_REQUESTS);
    expect(report.requests).toBe(7);
    expect(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('reads the base64 JSON form as well as the raw one', async () => {
    github.base64 = true;
    const report = await scanRemote();
    expect(row(report, 'composite')).toMatchObject({ route: 'api-key', certainty: 'known' });
    expect(row(report, 'reusable')).toMatchObject({ route: 'subscription-oauth-token', certainty: 'known' });
  });

  it('keeps inferred rows and says why when the rate limit is spent, and stops asking', async () => {
    github.repoModes.set('acme/ai-actions', 'rate-limited');
    const report = await scanRemote();
    expect(row(report, 'composite')).toMatchObject({ certainty: 'inferred', invocation: 'opaque' });
    expect(report.notices).toContainEqual(
      '.github/workflows/shared.yml:9:15: acme/ai-actions/claude-review@v2: the GitHub API rate limit is spent (HTTP 403); it resets at 08:00 UTC',
    );
    expect(report.notices.at(-1)).toBe(
      'Some remote callees were not read: the GitHub API rate limit is spent (HTTP 403); it resets at 08:00 UTC.',
    );
  });

  it('treats a 429 the same way', async () => {
    github.repoModes.set('acme/shared-workflows', 'too-many');
    const report = await scanRemote();
    // `secrets: inherit` to a callee not read: which credential it uses is decided only at run time.
    expect(row(report, 'reusable')).toMatchObject({ certainty: 'unknown', invocation: 'opaque' });
    expect(report.notices.join('\n')).toContain(
      'acme/shared-workflows/.github/workflows/claude.yml@' +
        SHA +
        ': the GitHub API rate limit is spent (HTTP 429); GitHub asks to wait 60 s',
    );
  });

  it('gives up on a slow answer after api-timeout', async () => {
    github.repoModes.set('acme/shared-workflows', 'slow');
    // Long enough for the answers that come, however busy the machine; the slow one never does.
    const report = await scanRemote({ timeoutMs: 5000 });
    expect(row(report, 'reusable')).toMatchObject({ certainty: 'unknown', invocation: 'opaque' });
    expect(row(report, 'composite')).toMatchObject({ certainty: 'known' });
    expect(report.notices.join('\n')).toContain('the GitHub API did not answer within 5 s');
  });

  it('retries once on a server error', async () => {
    github.repoModes.set('acme/shared-workflows', 'flaky');
    const report = await scanRemote();
    expect(row(report, 'reusable')).toMatchObject({ certainty: 'known', route: 'subscription-oauth-token' });
    expect(report.requests).toBe(9);
  });

  it('stops at the request budget with a notice', async () => {
    const report = await scanRemote({ budget: 2 });
    expect(report.requests).toBe(2);
    expect(github.requests).toHaveLength(2);
    expect(report.notices.at(-1)).toBe(
      'Some remote callees were not read: the budget of 2 GitHub API requests for this run is spent.',
    );
  });

  it('keeps SHA-pinned files on disk and asks again only for moving refs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-cache-'));
    const first = new ShaCache(
      dir,
      new GitHubContents({ apiUrl: api, timeoutMs: PATIENT_MS, maxBytes: 1 << 20 }),
      1 << 20,
    );
    expect(await first.get('acme', 'shared-workflows', SHA, '.github/workflows/inner.yml')).toHaveProperty(
      'text',
    );
    expect(await first.get('acme', 'ai-actions', 'v2', 'claude-core/action.yaml')).toHaveProperty('text');
    github.requests.length = 0;
    const second = new ShaCache(
      dir,
      new GitHubContents({ apiUrl: api, timeoutMs: PATIENT_MS, maxBytes: 1 << 20 }),
      1 << 20,
    );
    const cached = await second.get('acme', 'shared-workflows', SHA, '.github/workflows/inner.yml');
    expect(cached).toEqual({ text: github.files.get('acme/shared-workflows/.github/workflows/inner.yml') });
    await second.get('acme', 'ai-actions', 'v2', 'claude-core/action.yaml');
    expect(github.requests.map((r) => r.url)).toEqual([
      '/repos/acme/ai-actions/contents/claude-core/action.yaml?ref=v2',
    ]);
    expect(second.hits).toBe(1);
  });

  it('refuses a callee over the size limit', async () => {
    const client = new GitHubContents({ apiUrl: api, timeoutMs: PATIENT_MS, maxBytes: 100 });
    expect(await client.get('acme', 'ai-actions', 'v2', 'claude-review/action.yml')).toEqual({
      why: 'it is over the size limit of 100 bytes',
    });
  });

  it('models a caller that only hands a neutral-named remote action a secret, past the raw-text pre-check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-remote-neutral-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'workflows', 'lint.yml'),
      [
        'on: pull_request',
        'jobs:',
        '  lint:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: acme/lint-tools/check@v1',
        '        with:',
        '          key: ${{ secrets.REVIEW_KEY }}',
        '',
      ].join('\n'),
    );
    github.files.set(
      'acme/lint-tools/check/action.yml',
      readFileSync(join(CALLEES, 'acme/ai-actions/claude-core/action.yaml'), 'utf8'),
    );
    const options = { cwd: dir, repoName: 'octo/neutral' };
    const remote = await readRemoteCallees([], options, settings());
    const online = scan(loadFiles([], { ...options, remote: remote.lookup }, []));
    expect(online.routes.map((r) => [r.job, r.route, r.certainty])).toEqual([['lint', 'api-key', 'known']]);
    // Offline the file stays inert, as before.
    expect(scan(loadFiles([], options, [])).routes).toEqual([]);
  });

  it('keeps the inferred row of a remote JavaScript or Docker action handed a Claude credential, once read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-remote-program-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    const job = (id: string, uses: string): string[] => [
      `  ${id}:`,
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: ${uses}`,
      '        with:',
      '          claude_code_oauth_token: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}',
    ];
    writeFileSync(
      join(dir, '.github', 'workflows', 'agents.yml'),
      [
        'on: push',
        'jobs:',
        ...job('js', 'acme/agents/node@v1'),
        ...job('docker', 'acme/agents/box@v1'),
        '',
      ].join('\n'),
    );
    github.files.set(
      'acme/agents/node/action.yml',
      'name: Agent\nruns:\n  using: node20\n  main: index.js\n',
    );
    github.files.set(
      'acme/agents/box/action.yml',
      'name: Agent\nruns:\n  using: docker\n  image: Dockerfile\n',
    );
    const options = { cwd: dir, repoName: 'octo/agents' };
    const offline = scan(loadFiles([], options, []));
    const remote = await readRemoteCallees([], options, settings());
    const online = scan(loadFiles([], { ...options, remote: remote.lookup }, []));
    expect(github.requests.map((r) => decodeURIComponent(r.url.split('?')[0]!)).sort()).toEqual([
      '/repos/acme/agents/contents/box/action.yml',
      '/repos/acme/agents/contents/node/action.yml',
    ]);
    for (const report of [offline, online])
      expect(report.routes.map((r) => [r.job, r.line, r.column, r.route, r.certainty, r.reason])).toEqual([
        ['js', 6, 15, 'subscription-oauth-token', 'inferred', expect.stringContaining('acme/agents/node@v1')],
        [
          'docker',
          12,
          15,
          'subscription-oauth-token',
          'inferred',
          expect.stringContaining('acme/agents/box@v1'),
        ],
      ]);
    expect(online.routes.map((r) => r.reason)).toEqual([
      expect.stringContaining('the JavaScript action'),
      expect.stringContaining('the Docker action'),
    ]);
  });

  it('makes no request and keeps inferred rows when remote resolution is off', () => {
    const report = scan(loadFiles([], { cwd: CALLER, repoName: 'octo/caller' }, []));
    expect(report.routes.map((r) => [r.job, r.invocation, r.certainty])).toEqual([
      ['composite', 'opaque', 'inferred'],
      ['reusable', 'opaque', 'unknown'],
      ['gone', 'opaque', 'inferred'],
    ]);
    expect(github.requests).toHaveLength(0);
  });
});

describe('the bundled action and the CLI with remote callees', () => {
  it('runs as the runner runs it: reads callees with its token, once each, within budget, and notices a private one', async () => {
    const run = await runAction(
      {
        'github-token': TOKEN,
        'runtime-check': 'false',
        'fail-on': 'never',
        'sarif-file': 'out.sarif',
        // Workflow commands: the annotations asserted below, and no check run among the requests counted.
        annotations: 'commands',
      },
      { GITHUB_WORKSPACE: copyOfCaller(), GITHUB_API_URL: api, GITHUB_REPOSITORY: 'octo/caller' },
    );
    expect(run.status).toBe(0);
    const routes = JSON.parse(run.outputs.routes!) as RouteRow[];
    expect(routes.map((r) => [r.job, r.route, r.certainty])).toEqual([
      ['composite', 'api-key', 'known'],
      ['reusable', 'subscription-oauth-token', 'known'],
      ['gone', 'api-key', 'inferred'],
    ]);
    const urls = github.requests.map((r) => r.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect([...urls].sort()).toEqual(CALLEE_REQUESTS);
    expect(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(run.stdout).toContain(
      `::notice title=claude-route-guard%3A remote callee,file=.github/workflows/shared.yml,line=20,col=15::\`acme/private-ai/claude@v1\` was not read, so its route stays inferred: ${NOT_READABLE.replace('the action', 'the action (github-token)')}.`,
    );
    expect(run.stdout).toContain(
      `file=.github/workflows/shared.yml,line=14,endLine=14,col=11,endColumn=102::Job \`reusable\` bills`,
    );
    expect(run.summary).toContain(`${INNER}#L9`);
    // The only line holding the token is the runner's instruction to mask it.
    const printed = (run.stdout + run.stderr + run.summary).replace(`::add-mask::${TOKEN}\n`, '');
    expect(printed).not.toContain(TOKEN);
  });

  it('with resolve-remote false, makes no request', async () => {
    const run = await runAction(
      { 'resolve-remote': 'false', 'runtime-check': 'false', 'fail-on': 'never' },
      { GITHUB_WORKSPACE: CALLER, GITHUB_API_URL: api },
    );
    expect(run.status).toBe(0);
    expect(github.requests).toHaveLength(0);
  });

  it('CLI: reads callees only with --resolve-remote, token from GH_TOKEN, into the SARIF related locations', async () => {
    const saved = { ...process.env };
    process.env.GITHUB_API_URL = api;
    delete process.env.GITHUB_TOKEN;
    process.env.GH_TOKEN = TOKEN;
    process.env.GITHUB_SERVER_URL = 'https://github.com';
    try {
      let out = '';
      let err = '';
      const io = { cwd: CALLER, stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) };
      expect(runCli(['--format', 'json', '--fail-on', 'never', '--repo', 'octo/caller'], io)).toBe(0);
      expect(github.requests).toHaveLength(0);
      // Without the flag, one note says what was not followed and how to follow it.
      expect(err).toContain(
        '1 call(s) of reusable workflows in other repositories were not followed; --resolve-remote',
      );
      out = '';
      err = '';
      const cache = mkdtempSync(join(tmpdir(), 'crg-cli-cache-'));
      const args = ['--resolve-remote', '--cache-dir', cache, '--format', 'sarif', '--fail-on', 'never'];
      expect(await runCli([...args, '--repo', 'octo/caller'], io)).toBe(0);
      const sarif = JSON.parse(out) as Log;
      const result = sarif.runs[0]!.results!.find((r) => r.ruleId === 'subscription-token-in-ci')!;
      expect(result.locations![0]!.physicalLocation!.region!.startLine).toBe(14);
      expect(result.relatedLocations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: `${INNER}#L9` });
      // Said once, in the report: SARIF's notifications, not again on stderr.
      expect(err).toBe('');
      expect(sarif.runs[0]!.invocations![0]!.toolExecutionNotifications!.map((n) => n.message.text)).toEqual([
        `Not followed: action \`acme/private-ai/claude@v1\` could not be read: ${NOT_READABLE.replace('the action', 'GITHUB_TOKEN')}`,
      ]);
      expect(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
      // The SHA-pinned workflows come from the cache the second time; tags are asked again.
      const before = github.requests.length;
      expect(await runCli([...args, '--repo', 'octo/caller'], io)).toBe(0);
      expect(
        github.requests
          .slice(before)
          .map((r) => r.url)
          .filter((u) => u.includes(SHA)),
      ).toEqual([]);
    } finally {
      process.env = saved;
    }
  });
});

describe('a remote callee that could not be read, in the CLI', () => {
  async function cliWithApi(args: string[]): Promise<{ out: string; err: string }> {
    const saved = { ...process.env };
    Object.assign(process.env, {
      GITHUB_API_URL: api,
      GH_TOKEN: TOKEN,
      GITHUB_SERVER_URL: 'https://github.com',
    });
    delete process.env.GITHUB_TOKEN;
    let out = '';
    let err = '';
    const io = { cwd: CALLER, stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) };
    try {
      const cache = mkdtempSync(join(tmpdir(), 'crg-cli-cache-'));
      await runCli(
        ['--resolve-remote', '--cache-dir', cache, '--repo', 'octo/caller', '--fail-on', 'never', ...args],
        io,
      );
    } finally {
      process.env = saved;
    }
    return { out, err };
  }
  const unread = `action \`acme/private-ai/claude@v1\` could not be read: ${NOT_READABLE.replace('the action', 'GITHUB_TOKEN')}`;

  it('is one compact line on stdout, in words of its own rather than a rule’s syntax, and nothing on stderr', async () => {
    const { out, err } = await cliWithApi(['--compact']);
    expect(err).toBe('');
    expect(out.split('\n').filter((l) => l.includes('acme/private-ai'))).toEqual([
      `.github/workflows/shared.yml:20:15: not followed: ${unread}`,
    ]);
    expect(out).not.toContain('[not-followed]');
  });

  it('is one notice with --format github, after the annotations, as the action gives it', async () => {
    const { out, err } = await cliWithApi(['--format', 'github']);
    expect(err).toBe('');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '::notice title=claude-route-guard%3A not followed::1 reference(s) could not be followed, so the Claude runs behind them are not checked; claude-route-guard --format text lists them all.',
    );
  });
});

describe('remote callees of repositories named from outside them', () => {
  /** Two clones side by side: everywhere (origin octo/everywhere) and elsewhere, whose call-self names it. */
  function clones(): string {
    const parent = mkdtempSync(join(tmpdir(), 'crg-remote-roots-'));
    for (const name of ['everywhere', 'elsewhere']) {
      cpSync(join(FIXTURES, 'everywhere'), join(parent, name), { recursive: true });
      mkdirSync(join(parent, name, '.git'));
      writeFileSync(
        join(parent, name, '.git', 'config'),
        `[remote "origin"]\n\turl = https://github.com/octo/${name}.git\n`,
      );
    }
    return parent;
  }

  it("CLI: each repository's own owner/name calls are read from its checkout, another's through the API", async () => {
    const parent = clones();
    github.files.set(
      'octo/everywhere/.github/workflows/shared.yml',
      readFileSync(join(FIXTURES, 'everywhere', '.github', 'workflows', 'shared.yml'), 'utf8'),
    );
    const saved = { ...process.env };
    process.env.GITHUB_API_URL = api;
    process.env.GH_TOKEN = TOKEN;
    process.env.GITHUB_SERVER_URL = 'https://github.com';
    try {
      let out = '';
      const io = { cwd: parent, stdout: (t: string) => (out += t), stderr: () => undefined };
      const cache = mkdtempSync(join(tmpdir(), 'crg-cli-cache-'));
      const args = ['--resolve-remote', '--cache-dir', cache, '--format', 'json', '--fail-on', 'never'];
      // Named from its parent folder, the repository is still itself: its own call is no request.
      expect(await runCli(['everywhere', ...args], io)).toBe(0);
      expect(github.requests).toEqual([]);
      out = '';
      expect(await runCli(['everywhere', 'elsewhere', ...args], io)).toBe(0);
      expect(github.requests.map((r) => r.url)).toEqual([
        '/repos/octo/everywhere/contents/.github/workflows/shared.yml?ref=main',
      ]);
      const rows = (JSON.parse(out) as Report).routes.filter((r) => r.job === 'call-self');
      expect(rows.map((r) => [r.file, r.route, r.certainty, r.via?.file])).toEqual([
        [
          'everywhere/.github/workflows/review.yml',
          'api-key',
          'known',
          'everywhere/.github/workflows/shared.yml',
        ],
        [
          'elsewhere/.github/workflows/review.yml',
          'api-key',
          'known',
          'https://github.com/octo/everywhere/blob/main/.github/workflows/shared.yml',
        ],
      ]);
    } finally {
      process.env = saved;
    }
  });
});

const manifest = join(CORPUS, 'real', 'MANIFEST.tsv');

describeWithCorpus('the real corpus served as a fake GitHub', () => {
  it('reads veecle’s shared action for a workflow that lives in another repository (028 → 029)', async () => {
    const rows = readFileSync(manifest, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    const byPlace = new Map(rows.map(([file, repo, path]) => [`${repo}/${path}`, file!]));
    github.files.clear();
    github.contentsOf = (owner, repo, path) => {
      const file = byPlace.get(`${owner}/${repo}/${path}`);
      return file ? readFileSync(join(CORPUS, 'real', file), 'utf8') : undefined;
    };
    try {
      const real = rebuildReal().find((f) => f.file.startsWith('028__'))!;
      // Scanned as another repository's workflow, so the same-repository shortcut cannot apply.
      const options = { cwd: real.root, repoName: 'someone/elsewhere' };
      const offline = scan(loadFiles([real.path], options, []));
      expect(offline.routes.map((r) => [r.job, r.invocation, r.certainty])).toEqual([
        ['claude', 'opaque', 'inferred'],
      ]);
      const remote = await readRemoteCallees([real.path], options, settings());
      const report = scan(loadFiles([real.path], { ...options, remote: remote.lookup }, []));
      expect(github.requests.map((r) => r.url)).toEqual([
        '/repos/veecle/style-guide/contents/.github/actions/claude/action.yml?ref=main',
      ]);
      expect(
        report.routes.map((r) => [r.job, r.invocation, r.route, r.certainty, r.line, r.column, r.via?.file]),
      ).toEqual([
        [
          'claude',
          'composite-action',
          'api-key',
          'known',
          36,
          15,
          'https://github.com/veecle/style-guide/blob/main/.github/actions/claude/action.yml',
        ],
      ]);
    } finally {
      github.contentsOf = undefined;
    }
  });
});

describe('which remote calls are worth a request', () => {
  it('reads callees that receive a secret or are named for Claude, never inert or built-in actions', () => {
    const text = readFileSync(join(FIXTURES, 'remote-select.yml'), 'utf8');
    const calls = calleesOf(parseFile('remote-select.yml', text), isClaudeAction);
    expect(calls.map((c) => [c.kind, c.uses, c.span.line, c.span.column])).toEqual([
      ['action', 'acme/deploy@v1', 19, 15],
      ['action', 'acme/claude-helper@v1', 22, 15],
      ['action', 'acme/ai-code-review@main', 23, 15],
      ['workflow', 'acme/workflows/.github/workflows/review.yml@v1', 25, 11],
      ['action', 'acme/lint@v3', 48, 15],
    ]);
    // The labels in the fixture say the same, so the file documents itself.
    const marked = text.split('\n').flatMap((line, i) => (line.includes('# READ') ? [i + 1] : []));
    expect(calls.map((c) => c.span.line).sort((a, b) => a - b)).toEqual(marked);
  });

  it('asks the GitHub API only for those: a paths filter given no secret and no Claude credential is never fetched', async () => {
    const result = await readRemoteCallees(['remote-select.yml'], { cwd: FIXTURES }, settings());
    // One request per file read (an action is asked as action.yml, then action.yaml when missing).
    // Several are asked at once, so they arrive in any order.
    const asked = github.requests.map((r) => decodeURIComponent(r.url.split('?')[0]!)).sort();
    expect(asked).toEqual([
      '/repos/acme/ai-code-review/contents/action.yaml',
      '/repos/acme/ai-code-review/contents/action.yml',
      '/repos/acme/claude-helper/contents/action.yaml',
      '/repos/acme/claude-helper/contents/action.yml',
      '/repos/acme/deploy/contents/action.yaml',
      '/repos/acme/deploy/contents/action.yml',
      '/repos/acme/lint/contents/action.yaml',
      '/repos/acme/lint/contents/action.yml',
      '/repos/acme/workflows/contents/.github/workflows/review.yml',
    ]);
    expect(result.requests).toBe(asked.length);
  });
});
