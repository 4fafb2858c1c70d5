/**
 * The official action by release: a tag by its number, a commit through the table of its tags (a comment
 * beside it is only a hint), `v1` as the newest; a commit the table does not hold read remotely, or unknown.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claudeAction, knownWithoutReading } from '../src/claude/actions.js';
import { OFFICIAL_INPUTS } from '../src/flow/action-inputs.js';
import { ACTION_TAGS } from '../src/flow/action-tags.js';
import { releaseHas, releaseOf, type Release } from '../src/flow/action-versions.js';
import { loadFiles } from '../src/load.js';
import { readRemoteCallees } from '../src/remote-callees.js';
import { scan, type Report } from '../src/scan.js';
import { CORPUS_REQUIRED } from './corpus.js';
import { FakeGitHub } from './github-server.js';
import { CORPUS, FIXTURES, scanAt } from './helpers.js';

const VERSIONS = join(FIXTURES, 'versions');
const FACTS = join(CORPUS, '..', 'facts', 'claude-code-action-tags.tsv');

/** Every row and finding of a report, as the JSON report has them, messages whole. */
function answer(report: Report): { routes: unknown[]; findings: unknown[] } {
  return {
    routes: report.routes.map((r) => [
      r.job,
      r.line,
      r.column,
      r.route,
      r.certainty,
      r.verdict,
      r.reason ?? '',
    ]),
    findings: report.findings.map((f) => [f.rule, f.severity, f.span.line, f.span.column, f.message]),
  };
}

const BLANKED = (uses: string): string =>
  `${uses} writes its empty \`anthropic_api_key\` input over the environment's ANTHROPIC_API_KEY; only v1.0.146 and later fall back to it`;
const HEADLESS = (job: string, label: string, why: string): string =>
  `Job \`${job}\` runs Claude Code headlessly (${label}) with no API-side credential (${why}), so it fails: a GitHub-hosted runner has no stored login to fall back on. Pass \`anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}\` (or a cloud provider or workload identity).`;
const SHA_111 = 'anthropics/claude-code-action@fefa07e9c665b7320f08c3b525980457f22f58aa';
const UNKNOWN_SHA = '21302532c2959a4f8f5e445004f617ef8b7b1dd7';

describe('a job-level key and the release the ref runs', () => {
  it('is blanked before v1.0.146 (by tag or by a commit of the table), passed on from it; an unknown commit leaves it open', () => {
    const report = scanAt(VERSIONS, ['.github/workflows/pinned.yml']);
    expect(answer(report)).toEqual({
      routes: [
        ['tag-111', 9, 15, 'subscription-login', 'known', 'error: headless-without-api-route', ''],
        ['sha-111', 16, 15, 'subscription-login', 'known', 'error: headless-without-api-route', ''],
        ['tag-146', 23, 15, 'api-key', 'known', 'ok', ''],
        ['moving-v1', 30, 15, 'api-key', 'known', 'ok', ''],
        ['sha-146-wrong-comment', 37, 15, 'api-key', 'known', 'ok', ''],
        [
          'unknown-sha',
          44,
          15,
          'unknown',
          'unknown',
          'ok',
          `ANTHROPIC_API_KEY reaches Claude only if the action is v1.0.146 or later, where an empty \`anthropic_api_key\` falls back to it, and commit 2130253 is not a known release of the action (the comment \`# v1.0.150\` beside it is only a hint); run with --resolve-remote to read its action.yml; when it is empty, the run fails: a GitHub-hosted runner has no stored login`,
        ],
        ['unknown-sha-with-input', 51, 15, 'api-key', 'known', 'ok', ''],
      ],
      findings: [
        [
          'headless-without-api-route',
          'error',
          9,
          15,
          HEADLESS(
            'tag-111',
            'anthropics/claude-code-action@v1.0.111',
            BLANKED('anthropics/claude-code-action@v1.0.111'),
          ),
        ],
        [
          'headless-without-api-route',
          'error',
          16,
          15,
          HEADLESS('sha-111', SHA_111, BLANKED(`${SHA_111} (v1.0.111)`)),
        ],
      ],
    });
  });
});

describe('inputs by the release that brought them', () => {
  it('ignores federation before v1.0.130 and use_foundry before v1.0.19, and leaves them open on an unknown commit', () => {
    const report = scanAt(VERSIONS, ['.github/workflows/inputs-by-version.yml']);
    expect(answer(report)).toEqual({
      routes: [
        [
          'federation-before-130',
          9,
          15,
          'subscription-login',
          'known',
          'error: headless-without-api-route',
          'anthropics/claude-code-action@v1.0.129 has no `anthropic_federation_rule_id` input (it came in v1.0.130), so it is ignored; anthropics/claude-code-action@v1.0.129 has no `anthropic_organization_id` input (it came in v1.0.130), so it is ignored',
        ],
        ['federation-from-130', 17, 15, 'workload-identity', 'known', 'ok', ''],
        [
          'foundry-before-19',
          25,
          15,
          'subscription-login',
          'known',
          'error: headless-without-api-route',
          'anthropics/claude-code-action@v1.0.18 has no `use_foundry` input (it came in v1.0.19), so it is ignored',
        ],
        ['foundry-from-19', 32, 15, 'foundry', 'known', 'warning: vulnerable-action-version', ''],
        [
          'federation-unknown-commit',
          39,
          15,
          'unknown',
          'unknown',
          'ok',
          'ANTHROPIC_FEDERATION_RULE_ID is read from input `anthropic_federation_rule_id` only from v1.0.130, and commit c7c8889 is not a known release of the action; run with --resolve-remote to read its action.yml; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
        ],
      ],
      findings: [
        [
          'headless-without-api-route',
          'error',
          9,
          15,
          'Job `federation-before-130` runs Claude Code headlessly (anthropics/claude-code-action@v1.0.129) with no API-side credential, so it fails: a GitHub-hosted runner has no stored login to fall back on. Pass `anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}` (or a cloud provider or workload identity).',
        ],
        [
          'headless-without-api-route',
          'error',
          25,
          15,
          'Job `foundry-before-19` runs Claude Code headlessly (anthropics/claude-code-action@v1.0.18) with no API-side credential, so it fails: a GitHub-hosted runner has no stored login to fall back on. Pass `anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}` (or a cloud provider or workload identity).',
        ],
        // Both releases also predate the advisories' fixes.
        [
          'vulnerable-action-version',
          'warning',
          25,
          15,
          'Job `foundry-before-19` runs anthropics/claude-code-action@v1.0.18, a release with published advisories: GHSA-8q5r-mmjf-575q (an MCP configuration in a pull request can run code and read the job’s secrets; fixed in v1.0.74), and the bot-actor permission bypass (a bot account can pass the check that only people with write access trigger Claude; fixed in v1.0.94). Update to v1.0.94 or later, or `@v1`.',
        ],
        [
          'vulnerable-action-version',
          'warning',
          32,
          15,
          'Job `foundry-from-19` runs anthropics/claude-code-action@v1.0.19, a release with published advisories: GHSA-8q5r-mmjf-575q (an MCP configuration in a pull request can run code and read the job’s secrets; fixed in v1.0.74), and the bot-actor permission bypass (a bot account can pass the check that only people with write access trigger Claude; fixed in v1.0.94). Update to v1.0.94 or later, or `@v1`.',
        ],
      ],
    });
  });
});

describe('a commit the table does not hold, read through the GitHub API', () => {
  const github = new FakeGitHub();
  let api = '';
  beforeAll(async () => {
    api = await github.start();
  });
  afterAll(() => github.stop());

  /** The pinned fixture scanned with the unknown commit's action.yml served as `actionYml`. */
  async function scanWith(actionYml: string): Promise<Report> {
    github.files.clear();
    github.requests.length = 0;
    github.files.set('anthropics/claude-code-action/action.yml', actionYml);
    const options = { cwd: VERSIONS, repoName: 'octo/versions' };
    const paths = ['.github/workflows/pinned.yml'];
    const remote = await readRemoteCallees(paths, options, {
      apiUrl: api,
      server: 'https://github.com',
      timeoutMs: 2000,
      tokenHint: 'the action',
      known: knownWithoutReading,
    });
    return scan(loadFiles(paths, { ...options, remote: remote.lookup }, []));
  }

  const ACTION = (env: string): string =>
    [
      'name: Claude Code Action',
      'inputs:',
      '  anthropic_api_key:',
      '    required: false',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - run: bun run src/entrypoints/run.ts',
      '      shell: bash',
      '      env:',
      `        ANTHROPIC_API_KEY: ${env}`,
      '',
    ].join('\n');

  it('asks only for that commit, and passes the job key on when its action.yml falls back to the env', async () => {
    const report = await scanWith(ACTION('${{ inputs.anthropic_api_key || env.ANTHROPIC_API_KEY }}'));
    expect(github.requests.map((r) => r.url.replace(/\?.*/, ''))).toEqual([
      `/repos/anthropics/claude-code-action/contents/action.yml`,
    ]);
    expect(report.routes.find((r) => r.job === 'unknown-sha')).toMatchObject({
      route: 'api-key',
      certainty: 'known',
      verdict: 'ok',
    });
  });

  it('blanks the job key when its action.yml reads the input only', async () => {
    const report = await scanWith(ACTION('${{ inputs.anthropic_api_key }}'));
    const row = report.routes.find((r) => r.job === 'unknown-sha');
    expect(row).toMatchObject({
      route: 'subscription-login',
      certainty: 'known',
      verdict: 'error: headless-without-api-route',
    });
    expect(report.findings.find((f) => f.span.line === 44)?.message).toBe(
      HEADLESS(
        'unknown-sha',
        `anthropics/claude-code-action@${UNKNOWN_SHA}`,
        BLANKED(`anthropics/claude-code-action@${UNKNOWN_SHA} (commit 2130253)`),
      ),
    );
  });
});

describe('refs of the official action', () => {
  it.each([
    ['v1.0.111', 'v1.0.111'],
    ['fefa07e9c665b7320f08c3b525980457f22f58aa', 'v1.0.111'],
    ['FEFA07E9C665B7320F08C3B525980457F22F58AA', 'v1.0.111'],
    ['v1', 'v1.0.200'],
    ['v1.0', 'v1.0.200'],
    ['main', 'v1.0.200'],
    ['beta', 'v0.0.63'],
    ['v0', 'v0.0.63'],
    ['v1.0.250', 'v1.0.250'],
    ['dfa92d695228cdc22697d203b91e4104e7e84ae8', 'v0.0.35'],
  ])('%s runs %s', (ref, shown) => {
    expect(releaseOf(ref, 'v1.0.1')).toMatchObject({ known: 'version', shown });
  });

  it('reads an unknown commit of the action itself, never a known one, a base action or a look-alike', () => {
    expect(
      [
        `anthropics/claude-code-action@${UNKNOWN_SHA}`,
        'anthropics/claude-code-action@fefa07e9c665b7320f08c3b525980457f22f58aa',
        'anthropics/claude-code-action@v1.0.111',
        `anthropics/claude-code-action/base-action@${UNKNOWN_SHA}`,
        `anthropic/claude-code-action@${UNKNOWN_SHA}`,
      ].map(knownWithoutReading),
    ).toEqual([false, true, true, true, true]);
  });
});

/** What the facts table says a tag's action.yml has, and what the inputs' `since` versions make of it. */
type Behaviours = Record<'env_fallback' | 'federation_inputs' | 'use_foundry' | 'claude_env_input', boolean>;

function declared(tag: string, release: Release): Behaviours {
  const flavour = claudeAction(`anthropics/claude-code-action@${tag}`)!.flavour;
  const reads = (name: keyof typeof OFFICIAL_INPUTS): boolean => {
    const input: { readBy: readonly string[]; since?: string } = OFFICIAL_INPUTS[name];
    return input.readBy.includes(flavour) && releaseHas(release, input.since, () => false) === true;
  };
  const key = OFFICIAL_INPUTS.anthropic_api_key;
  return {
    env_fallback: flavour === 'v1' && releaseHas(release, key.fallbackSince, () => false) === true,
    federation_inputs: reads('anthropic_federation_rule_id'),
    use_foundry: reads('use_foundry'),
    claude_env_input: reads('claude_env'),
  };
}

describe('the table of releases against the facts of the action’s history', () => {
  const present = existsSync(FACTS);
  if (!present && CORPUS_REQUIRED)
    it('finds the facts table', () => {
      throw new Error(`${FACTS} not found, and REQUIRE_CORPUS=1 makes it mandatory`);
    });
  const rows = present
    ? readFileSync(FACTS, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t'))
    : [];

  (present ? it : it.skip)(
    'holds every tag and its commit, in order (npm run action-tags regenerates it)',
    () => {
      expect(ACTION_TAGS.map(([tag, commit]) => [tag, commit])).toEqual(rows.map((r) => [r[0], r[1]]));
    },
  );

  (present ? it : it.skip)('gives every tag, and its commit, what its action.yml has', () => {
    const wrong = rows.flatMap(([tag, commit, , ...columns]) => {
      const facts: Behaviours = {
        env_fallback: columns[0] === 'yes',
        federation_inputs: columns[1] === 'yes',
        use_foundry: columns[2] === 'yes',
        claude_env_input: columns[3] === 'yes',
      };
      const byTag = declared(tag!, releaseOf(tag!));
      const byCommit = declared(tag!, releaseOf(commit!));
      return JSON.stringify([byTag, byCommit]) === JSON.stringify([facts, facts]) ? [] : [tag];
    });
    expect(wrong).toEqual([]);
  });
});

describe('vulnerable-action-version', () => {
  const ADVISORY_74 =
    'GHSA-8q5r-mmjf-575q (an MCP configuration in a pull request can run code and read the job’s secrets; fixed in v1.0.74)';
  const ADVISORY_94 =
    'the bot-actor permission bypass (a bot account can pass the check that only people with write access trigger Claude; fixed in v1.0.94)';
  const WARNING = (job: string, uses: string, advisories: string): string =>
    `Job \`${job}\` runs ${uses}, a release with published advisories: ${advisories}. Update to v1.0.94 or later, or \`@v1\`.`;

  it('names each open advisory by the release the ref runs, not the comment; an unknown commit is not judged; a wrapped one sits on its own uses:', () => {
    const report = scanAt(VERSIONS, ['.github/workflows/advisories.yml']);
    expect(answer(report).routes).toEqual([
      ['before-74', 7, 15, 'api-key', 'known', 'warning: vulnerable-action-version', ''],
      ['before-94', 14, 15, 'api-key', 'known', 'warning: vulnerable-action-version', ''],
      ['fixed', 21, 15, 'api-key', 'known', 'ok', ''],
      ['beta', 28, 15, 'api-key', 'known', 'warning: vulnerable-action-version', ''],
      ['unknown-commit', 35, 15, 'api-key', 'known', 'ok', ''],
      ['wrapped', 42, 15, 'api-key', 'known', 'warning: vulnerable-action-version', ''],
    ]);
    expect(
      report.findings.map((f) => [f.rule, f.severity, f.file, f.span.line, f.span.column, f.message]),
    ).toEqual([
      [
        'vulnerable-action-version',
        'warning',
        '.github/actions/review/action.yml',
        8,
        13,
        WARNING('wrapped', 'anthropics/claude-code-action@v1.0.80', ADVISORY_94),
      ],
      [
        'vulnerable-action-version',
        'warning',
        '.github/workflows/advisories.yml',
        7,
        15,
        WARNING(
          'before-74',
          'anthropics/claude-code-action@ac1a3207f3f00b4a37e2f3a6f0935733c7c64651 (v1.0.11)',
          `${ADVISORY_74}, and ${ADVISORY_94}`,
        ),
      ],
      [
        'vulnerable-action-version',
        'warning',
        '.github/workflows/advisories.yml',
        14,
        15,
        WARNING('before-94', 'anthropics/claude-code-action@v1.0.93', ADVISORY_94),
      ],
      [
        'vulnerable-action-version',
        'warning',
        '.github/workflows/advisories.yml',
        28,
        15,
        WARNING('beta', 'anthropics/claude-code-action@beta (v0.0.63)', `${ADVISORY_74}, and ${ADVISORY_94}`),
      ],
    ]);
  });
});
