import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGitHubOrg } from './github-org.js';
import { FIXTURES } from './helpers.js';
import { localEntry, org, repository, served } from './org-helpers.js';

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
  fake.add(repository('acme/no-workflows', { 'action.yml': REUSABLE }));
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
    expect(run.err).toContain(
      '10 read, 0 unchanged since the last run, 2 could not be read; 7 GitHub API requests.',
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
  ['acme/no-workflows', []],
  ['acme/odd-files', ['claude-code-action api-key known']],
  ['acme/personal', ['claude-code-action subscription-oauth-token known']],
  ['acme/policy', ['claude-code-action subscription-oauth-token known']],
  // The script one step runs, and a composite outside .github: both read in the second round.
  ['acme/scripts', ['composite-action api-key known', 'cli api-key known', 'cli subscription-login known']],
  // .claude/settings.json, read because the run asks for it.
  ['acme/settings', ['cli api-key-helper known']],
  // acme/tools/.github/workflows/reusable.yml@main is its own file.
  ['acme/tools', ['reusable-workflow api-key known', 'cli api-key known']],
];
const ROLLUP = {
  repositories: 12,
  read: 10,
  withRuns: 8,
  runs: 11,
  routes: [
    { route: 'api-key', runs: 7, repositories: 5 },
    { route: 'subscription-oauth-token', runs: 2, repositories: 2 },
    { route: 'api-key-helper', runs: 1, repositories: 1 },
    { route: 'subscription-login', runs: 1, repositories: 1 },
  ],
  personal: { runs: 3, repositories: 3 },
  findings: { error: 4, warning: 4, notice: 4 },
  unreadable: 2,
  leftOut: { archived: 1, forks: 1 },
};
