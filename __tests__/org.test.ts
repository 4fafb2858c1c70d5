import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Ajv from 'ajv';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run } from '../src/main.js';
import { FakeGitHubOrg } from './github-org.js';
import { graphqlUrlFor } from '../src/inventory/cli.js';
import { cliAt, FIXTURES, ROOT } from './helpers.js';
import { filesUnder, localEntry, org, readJson, repository, served } from './org-helpers.js';

const fixture = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');

const REVIEW = `on: pull_request
jobs:
  review:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
          prompt: review
`;

const PERSONAL = `on: issue_comment
jobs:
  assistant:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: anthropics/claude-code-action@v1
        with:
          claude_code_oauth_token: \${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}
`;

const SELF_CALLER = `on: push
jobs:
  call:
    uses: acme/tools/.github/workflows/reusable.yml@main
    secrets: inherit
`;

const REUSABLE = `on:
  workflow_call:
jobs:
  run:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: claude -p "summarise" --max-turns 3
        env:
          ANTHROPIC_API_KEY: \${{ secrets.TOOLS_KEY }}
`;

/** Hand-made repositories for the cases a plain clone must test without the corpus. */
function handMade(fake: FakeGitHubOrg): void {
  fake.add(repository('acme/api', { '.github/workflows/review.yml': REVIEW, 'README.md': '# api\n' }));
  // A script a step runs, a composite elsewhere and the repository's settings: read in the second round.
  fake.add(
    repository('acme/scripts', {
      '.github/workflows/script-caller.yml': fixture('repo/.github/workflows/script-caller.yml'),
      '.github/scripts/review.sh': fixture('repo/.github/scripts/review.sh'),
      '.github/workflows/composite-caller.yml': fixture(
        'repo/.github/workflows/composite-caller.yml',
      ).replace('./.github/actions/wrap', './tools/wrap'),
      'tools/wrap/action.yml': fixture('repo/.github/actions/wrap/action.yml'),
    }),
  );
  fake.add(
    repository('acme/settings', {
      '.github/workflows/helper.yml': fixture('settings-repo/.github/workflows/helper.yml'),
      '.claude/settings.json': fixture('settings-repo/.claude/settings.json'),
    }),
  );
  fake.add(
    repository('acme/agent', {
      '.github/workflows/agent.yml': fixture('sdk-repo/.github/workflows/agent.yml'),
      'pyproject.toml': fixture('sdk-repo/pyproject.toml'),
      'agent.py': fixture('sdk-repo/agent.py'),
    }),
  );
  // Its own `acme/tools/...@main` is read from its own files.
  fake.add(
    repository('acme/tools', {
      '.github/workflows/caller.yml': SELF_CALLER,
      '.github/workflows/reusable.yml': REUSABLE,
    }),
  );
  fake.add(repository('acme/personal', { '.github/workflows/assistant.yml': PERSONAL }));
  fake.add(
    repository('acme/odd-files', {
      '.github/workflows/binary.yml': Buffer.from('on: push\n\0jobs: {}\n'),
      '.github/workflows/latin1.yml': Buffer.from([0x6f, 0x6e, 0x3a, 0x20, 0xe9, 0x0a]),
      '.github/workflows/big.yml': `${REVIEW}${'#'.repeat(1200)}\n`,
      '.github/workflows/linked.yml': { link: 'big.yml' },
    }),
  );
  fake.add(
    repository('acme/policy', {
      '.github/workflows/assistant.yml': PERSONAL,
      '.github/claude-route-guard.yml':
        'allow:\n  - workflow: .github/workflows/assistant.yml\n    routes: [subscription-oauth-token]\n    reason: the maintainer pays for this one\n',
    }),
  );
  fake.add(
    repository('acme/bad-policy', {
      '.github/workflows/review.yml': REVIEW,
      '.github/claude-route-guard.yml': 'rules: [\n',
    }),
  );
  // A repository of actions: its own at the root and in a folder are read, a test copy and a workflow
  // in a sub-folder of .github/workflows (which never runs) are not, as a local scan leaves them.
  fake.add(
    repository('acme/no-workflows', {
      'action.yml': fixture('action-monorepo/action.yml'),
      'claude-review/action.yml': fixture('action-monorepo/claude-review/action.yml'),
      'tests/claude/action.yml': fixture('action-monorepo/tests/claude/action.yml'),
      '.github/workflows/archive/old-claude.yml': fixture(
        'action-monorepo/.github/workflows/archive/old-claude.yml',
      ),
    }),
  );
  fake.add({ name: 'acme/empty', files: new Map() });
  fake.add(repository('acme/secret', { '.github/workflows/review.yml': REVIEW }, { forbidden: true }));
  fake.add(repository('acme/old', { '.github/workflows/review.yml': REVIEW }, { archived: true }));
  fake.add(repository('acme/copy', { '.github/workflows/review.yml': PERSONAL }, { fork: true }));
}

const fake = new FakeGitHubOrg();
let api = '';
beforeAll(async () => {
  handMade(fake);
  api = await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.secondaryAt.clear();
  fake.truncateAbove = 1000;
});

interface Inventory {
  owner: string;
  repositories: { repository: string }[];
  unreadable: { repository: string; reason: string }[];
  rollup: Record<string, unknown>;
}

describe('org: every repository of an organisation through the GitHub API (hand-made repositories)', () => {
  it('gives each repository the rows a local scan of the same files gives, and lists what it could not read', async () => {
    const run = await org(api, ['org', 'acme', '--format', 'json']);
    // The eighth request reads agent.py: the file the agent job runs decides whether it is a Claude run;
    // one more lists the folders below the roots, searched for action.yml.
    expect(run.err).toContain(
      '10 read, 0 unchanged since the last run, 2 could not be read; 9 GitHub API requests.',
    );
    const json = JSON.parse(run.out) as Inventory;
    const expected = served(fake)
      .filter((r) => !r.archived && !r.fork && !r.forbidden)
      .map((r) => ({ name: r.name, entry: localEntry(r) }));
    const readable = expected.filter((e) => !('unreadable' in e.entry));
    expect(json.repositories).toEqual(
      readable
        .map((e) => e.entry)
        .sort((a, b) =>
          (a as { repository: string }).repository < (b as { repository: string }).repository ? -1 : 1,
        ),
    );
    expect(json.unreadable).toEqual([
      {
        repository: 'acme/bad-policy',
        reason: expect.stringContaining('.github/claude-route-guard.yml:') as unknown as string,
      },
      { repository: 'acme/secret', reason: expect.stringContaining('may not read it') as unknown as string },
    ]);
    expect(run.code).toBe(1);
    // The cases each hand-made repository stands for, as the engine answers them.
    expect(
      (
        json.repositories as unknown as {
          repository: string;
          routes: { route: string; invocation: string; certainty: string }[];
        }[]
      ).map((r) => [r.repository, r.routes.map((x) => `${x.invocation} ${x.route} ${x.certainty}`)]),
    ).toEqual(ROUTES);
    expect(json.rollup).toEqual(ROLLUP);
  });
});

const ROUTES = [
  ['acme/agent', ['agent-sdk api-key known']],
  ['acme/api', ['claude-code-action api-key known']],
  ['acme/empty', []],
  // Its own actions, read alone: the caller decides what they receive.
  ['acme/no-workflows', ['claude-code-action api-key inferred', 'cli api-key inferred']],
  ['acme/odd-files', ['claude-code-action api-key known']],
  ['acme/personal', ['claude-code-action subscription-oauth-token known']],
  ['acme/policy', ['claude-code-action subscription-oauth-token known']],
  // The script one step runs, and a composite outside .github: both read in the second round; the
  // composite is scanned too, with the route its caller gives it.
  [
    'acme/scripts',
    [
      'composite-action api-key known',
      'cli api-key known',
      'cli subscription-login known',
      'cli api-key known',
    ],
  ],
  // .claude/settings.json, read because the run asks for it.
  ['acme/settings', ['cli api-key-helper known']],
  // acme/tools/.github/workflows/reusable.yml@main is its own file.
  ['acme/tools', ['reusable-workflow api-key known', 'cli api-key known']],
];
const ROLLUP = {
  repositories: 12,
  read: 10,
  withRuns: 9,
  runs: 14,
  routes: [
    { route: 'api-key', runs: 10, repositories: 6 },
    { route: 'subscription-oauth-token', runs: 2, repositories: 2 },
    { route: 'api-key-helper', runs: 1, repositories: 1 },
    { route: 'subscription-login', runs: 1, repositories: 1 },
  ],
  personal: { runs: 3, repositories: 3 },
  findings: { error: 4, warning: 4, notice: 4 },
  unreadable: 2,
  leftOut: { archived: 1, forks: 1 },
};

const schemas = (): ((json: unknown) => string[]) => {
  const ajv = new Ajv({ allErrors: true });
  ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schema', 'report-v1.json'), 'utf8')) as object);
  const validate = ajv.compile(
    JSON.parse(readFileSync(join(ROOT, 'schema', 'inventory-v1.json'), 'utf8')) as object,
  );
  return (json) => (validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`));
};

/** Every format of one command, the SARIF files (by name, with their text) included. */
async function everyFormat(args: string[], out: string): Promise<Record<string, string>> {
  const formats: Record<string, string> = {};
  for (const format of ['text', 'markdown', 'csv', 'json'])
    formats[format] = (await org(api, [...args, '--format', format])).out;
  await org(api, [...args, '--format', 'sarif', '--out', out]);
  for (const file of filesUnder(join(out, 'sarif')))
    formats[relative(out, file)] = readFileSync(file, 'utf8');
  return formats;
}

describe('org at scale: shards, merge, incremental runs (hand-made repositories)', () => {
  it('writes JSON that its schema describes, the scan objects checked against the report schema', async () => {
    const json = JSON.parse((await org(api, ['org', 'acme', '--format', 'json'])).out) as unknown;
    expect(schemas()(json)).toEqual([]);
  });

  it('merges shards 1/3, 2/3 and 3/3 into what one run writes, in every format', async () => {
    const whole = await everyFormat(['org', 'acme'], mkdtempSync(join(tmpdir(), 'crg-whole-')));
    const dir = mkdtempSync(join(tmpdir(), 'crg-shards-'));
    const shards: string[] = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const file = join(dir, `shard-${shard[0]}.json`);
      writeFileSync(file, (await org(api, ['org', 'acme', '--shard', shard, '--format', 'json'])).out);
      shards.push(file);
    }
    // Each shard holds a share: none is empty, none holds all.
    const sizes = shards.map((f) => (readJson(f) as { repositories: unknown[] }).repositories.length);
    expect(sizes.every((n) => n > 0 && n < 10)).toBe(true);
    const merged = await everyFormat(
      ['merge', ...shards.reverse()],
      mkdtempSync(join(tmpdir(), 'crg-merged-')),
    );
    expect(Object.keys(merged).sort()).toEqual(Object.keys(whole).sort());
    for (const format of Object.keys(whole))
      expect([format, merged[format]]).toEqual([format, whole[format]]);
  });

  it('reads again only the repositories whose head moved, and all of those', async () => {
    const out = mkdtempSync(join(tmpdir(), 'crg-incremental-'));
    const first = await org(api, ['org', 'acme', '--format', 'json', '--out', out]);
    const moved = ['acme/api', 'acme/tools'];
    const before = new Map(moved.map((name) => [name, fake.repositories.get(name)!]));
    try {
      fake.add(repository('acme/api', { '.github/workflows/review.yml': PERSONAL }));
      fake.add(repository('acme/tools', { '.github/workflows/reusable.yml': REUSABLE }));
      fake.requests.length = 0;
      const second = await org(api, ['org', 'acme', '--format', 'json', '--out', out]);
      // Files were read only for the moved repositories (and the one that could not be read before).
      expect([...fake.fileRequestsOf()].sort()).toEqual(['acme/api', 'acme/bad-policy', 'acme/tools']);
      expect(second.err).toContain('2 read, 8 unchanged since the last run');
      const entry = (run: { out: string }, name: string): unknown =>
        (JSON.parse(run.out) as { repositories: { repository: string }[] }).repositories.find(
          (r) => r.repository === name,
        );
      expect(entry(second, 'acme/api')).toEqual(localEntry(fake.repositories.get('acme/api')!));
      expect(entry(second, 'acme/tools')).toEqual(localEntry(fake.repositories.get('acme/tools')!));
      expect(entry(second, 'acme/agent')).toEqual(entry(first, 'acme/agent'));
    } finally {
      for (const repo of before.values()) fake.add(repo);
    }
  });
});

describe("the action's organisation mode", () => {
  /** The action in this process with these inputs, as the runner sets them; its outputs and summary. */
  async function action(
    inputs: Record<string, string>,
  ): Promise<{ outputs: string; summary: string; log: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'crg-org-action-'));
    const env: Record<string, string> = {
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: join(dir, 'output.txt'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_API_URL: api,
      GITHUB_GRAPHQL_URL: `${api}/graphql`,
      GITHUB_SERVER_URL: 'https://github.com',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    };
    writeFileSync(env.GITHUB_OUTPUT!, '');
    writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
    const saved = { ...process.env };
    let log = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => ((log += chunk), true)) as typeof process.stdout.write;
    try {
      Object.assign(process.env, env);
      await run(process.env);
    } finally {
      process.stdout.write = write;
      for (const key of Object.keys(process.env))
        if (!(key in saved)) Reflect.deleteProperty(process.env, key);
      Object.assign(process.env, saved);
    }
    return {
      outputs: readFileSync(env.GITHUB_OUTPUT!, 'utf8'),
      summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
      log,
    };
  }

  it('writes the roll-up to the job summary and the JSON and CSV as files, per shard, and merges them', async () => {
    const whole = await org(api, ['org', 'acme', '--format', 'json']);
    const shards = mkdtempSync(join(tmpdir(), 'crg-org-artifacts-'));
    for (const shard of ['1/2', '2/2']) {
      const done = await action({
        organization: 'acme',
        shard,
        'github-token': 'ghs_actionToken0123456789',
        'resolve-remote': 'false',
      });
      const json = /inventory-json<<(\S+)\n(.*)\n/.exec(done.outputs)?.[2];
      expect(json).toMatch(/inventory\.json$/);
      expect(done.summary).toContain('## Claude Code runs of acme');
      // download-artifact puts each artifact in a folder of its own.
      mkdirSync(join(shards, shard[0]!));
      writeFileSync(join(shards, shard[0]!, 'inventory.json'), readFileSync(json!, 'utf8'));
    }
    const merged = await action({ merge: shards });
    const json = /inventory-json<<(\S+)\n(.*)\n/.exec(merged.outputs)?.[2];
    const csv = /inventory-csv<<(\S+)\n(.*)\n/.exec(merged.outputs)?.[2];
    expect(readFileSync(json!, 'utf8')).toBe(whole.out);
    expect(readFileSync(csv!, 'utf8')).toBe((await org(api, ['org', 'acme', '--format', 'csv'])).out);
    expect(merged.summary).toBe(`${(await org(api, ['org', 'acme', '--format', 'markdown'])).out}`);
    expect(merged.log).toContain(
      '::warning::2 repositories could not be read; the job summary lists each with the reason.',
    );
  });
});

describe('org: polite and bounded, and safe in every channel', () => {
  it('waits out a secondary rate limit as told, and stops at --max-requests with every unread repository listed', async () => {
    fake.secondaryAt.add(2);
    const waited = await org(api, ['org', 'acme', '--format', 'json']);
    expect(fake.requests.map((r) => r.status)).toContain(403);
    expect(waited.err).toContain(`; ${fake.requests.length} GitHub API requests.`);
    fake.requests.length = 0;
    const spent = await org(api, ['org', 'acme', '--format', 'json', '--max-requests', '2']);
    const json = JSON.parse(spent.out) as Inventory;
    expect(fake.requests).toHaveLength(2);
    expect(
      json.repositories.filter((r) => (r as unknown as { commit: string | null }).commit !== null),
    ).toEqual([]);
    expect(new Set(json.unreadable.map((u) => u.reason))).toEqual(
      new Set(['not read: the budget of 2 requests (--max-requests) is spent']),
    );
    expect(json.unreadable).toHaveLength(11);
    expect(spent.err).toContain(
      'Some repositories were not read: the budget of 2 requests (--max-requests) is spent.',
    );
    expect(spent.code).toBe(1);
  });

  it('keeps names from the repositories inert in text, markdown and CSV', async () => {
    const hostile = new FakeGitHubOrg();
    hostile.add(
      repository('acme/hostile', {
        '.github/workflows/=cmd|@here [x](https:%2F%2Fe.example).yml': PERSONAL.replace(
          'assistant:',
          "'=2+3 ::error::@owner <b>#1</b>':",
        ),
      }),
    );
    const url = await hostile.start();
    try {
      const text = (await org(url, ['org', 'acme'])).out;
      expect(text).not.toMatch(/^\s*::/m);
      const markdown = (await org(url, ['org', 'acme', '--format', 'markdown'])).out;
      expect(markdown).not.toMatch(/<b>|@owner|\[x\]\(/);
      expect(markdown).toContain(
        'https://github.com/acme/hostile/blob/' +
          [...hostile.repositories.values()][0]!.commit +
          '/.github/workflows/%3Dcmd%7C%40here%20%5Bx%5D%28https%3A%252F%252Fe.example%29.yml#L7',
      );
      const csv = (await org(url, ['org', 'acme', '--format', 'csv'])).out.split('\n')[1]!;
      // A cell a spreadsheet would read as a formula starts with a quote instead.
      expect(csv).toContain(`"'=2+3 ::error::@owner <b>#1</b>"`);
      expect(csv).toMatch(/^"acme\/hostile","run","[0-9a-f]{40}",".github\/workflows\/=cmd\|@here/);
    } finally {
      await hostile.stop();
    }
  });
});

describe('org --resolve-remote', () => {
  it('reads a remote callee once for every repository that calls it, through the same GraphQL batches', async () => {
    const remote = new FakeGitHubOrg();
    const caller = (name: string): ReturnType<typeof repository> =>
      repository(name, {
        '.github/workflows/review.yml': `on: push
jobs:
  review:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: shared/ai/claude-review@main
        with:
          key: \${{ secrets.REVIEW_KEY }}
`,
      });
    remote.add(caller('acme/one'));
    remote.add(caller('acme/two'));
    remote.add(
      repository('shared/ai', {
        'claude-review/action.yml': fixture('repo/.github/actions/wrap/action.yml'),
      }),
    );
    const url = await remote.start();
    try {
      const rows = async (args: string[]): Promise<unknown[]> =>
        (
          JSON.parse((await org(url, ['org', 'acme', '--format', 'json', ...args])).out) as {
            repositories: {
              repository: string;
              routes: { route: string; certainty: string; via: { file: string } | null }[];
            }[];
          }
        ).repositories.map((r) => [
          r.repository,
          r.routes.map((x) => [x.route, x.certainty, x.via?.file ?? null]),
        ]);
      // Offline, a secret handed to an action that is not read names no Claude run.
      expect(await rows([])).toEqual([
        ['acme/one', []],
        ['acme/two', []],
      ]);
      remote.requests.length = 0;
      const callee = 'https://github.com/shared/ai/blob/main/claude-review/action.yml';
      expect(
        await rows(['--resolve-remote', '--cache-dir', mkdtempSync(join(tmpdir(), 'crg-org-cache-'))]),
      ).toEqual([
        ['acme/one', [['api-key', 'known', callee]]],
        ['acme/two', [['api-key', 'known', callee]]],
      ]);
      // The callee was asked for once, for both callers.
      expect(remote.requests.filter((r) => r.filesOf.includes('shared/ai'))).toHaveLength(1);
    } finally {
      await remote.stop();
    }
  });
});

describe('org --repos and the endpoints', () => {
  it('takes only the named repositories (an archived one named is taken), and lists a missing one with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-org-repos-'));
    writeFileSync(join(dir, 'repos.txt'), '# the ones we own\nacme/api\nacme/old\n\nacme/gone\n');
    const run = await org(api, ['org', 'acme', '--repos', 'repos.txt', '--format', 'json'], dir);
    const json = JSON.parse(run.out) as Inventory;
    expect(json.repositories.map((r) => r.repository)).toEqual(['acme/api', 'acme/old']);
    expect(json.unreadable).toEqual([
      { repository: 'acme/gone', reason: 'not found, or not readable with this token' },
    ]);
    writeFileSync(join(dir, 'bad.txt'), 'acme/api\nother/repo\n');
    const bad = await org(api, ['org', 'acme', '--repos', 'bad.txt'], dir);
    expect([bad.code, bad.err]).toEqual([
      2,
      'claude-route-guard: --repos bad.txt:2: "other/repo" is not a repository of acme (owner/name)\n',
    ]);
  });

  it('finds GraphQL beside the REST base on github.com and on GitHub Enterprise Server', () => {
    expect(graphqlUrlFor('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrlFor('https://ghe.example/api/v3/')).toBe('https://ghe.example/api/graphql');
    expect(graphqlUrlFor('https://ghe.example/api/v3', 'https://gql.example/graphql')).toBe(
      'https://gql.example/graphql',
    );
  });

  it('treats a first word org, merge as a subcommand and ./org as a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-org-folder-'));
    mkdirSync(join(dir, 'org'));
    writeFileSync(join(dir, 'org', 'review.yml'), REVIEW);
    const folder = cliAt(dir, ['./org', '--format', 'json']);
    expect((JSON.parse(folder.out) as { routes: unknown[] }).routes).toHaveLength(1);
    expect((await org(api, ['org'], dir)).err).toContain('org takes one OWNER');
    expect((await org(api, ['merge'], dir)).err).toContain('merge takes the inventory JSON files to combine');
  });
});

describe('org: memory follows the largest repository', () => {
  it('reads and scans a group of repositories at a time, at most --max-file-size bytes of text, a larger one alone', async () => {
    const fake = new FakeGitHubOrg();
    const padded = `${REVIEW}# ${'-'.repeat(560)}\n`;
    fake.add(
      repository('acme/a', {
        '.github/workflows/review.yml': REVIEW,
        '.github/workflows/personal.yml': PERSONAL,
      }),
    );
    fake.add(
      repository('acme/b', {
        '.github/workflows/review.yml': REVIEW,
        '.github/workflows/personal.yml': PERSONAL,
      }),
    );
    fake.add(repository('acme/c', { '.github/workflows/review.yml': REVIEW }));
    fake.add(repository('acme/d', { '.github/workflows/review.yml': padded }));
    fake.add(
      repository('acme/e', {
        '.github/workflows/review.yml': padded,
        '.github/workflows/personal.yml': PERSONAL,
      }),
    );
    const url = await fake.start();
    try {
      const run = await org(url, ['org', 'acme', '--format', 'json', '--max-file-size', '1k']);
      expect(run.code).toBe(0);
      // The folders of the whole chunk are listed in one query; then the texts are read a group at a time:
      // a and b hold 477 bytes each, c 243, d 808, and e 1,042 (over the budget of 1,024, so alone).
      const reads = fake.requests.filter((r) => r.filesOf.length > 0).map((r) => [...r.filesOf].sort());
      expect(reads).toEqual([
        ['acme/a', 'acme/b', 'acme/c', 'acme/d', 'acme/e'],
        ['acme/a', 'acme/b'],
        ['acme/c'],
        ['acme/d'],
        ['acme/e'],
      ]);
      const entries = (JSON.parse(run.out) as { repositories: unknown[] }).repositories;
      expect(entries).toEqual([...fake.repositories.values()].map(localEntry));
    } finally {
      await fake.stop();
    }
  });
});
