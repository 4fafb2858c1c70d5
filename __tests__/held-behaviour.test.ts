/**
 * Behaviours a user relies on, each stated once from a fixture workflow through the engine in src/, with
 * the exact route and position. Every test here was seen to fail against a one-line wrong change to src/.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy } from '../src/policy/policy.js';
import { formatGithub } from '../src/report/github.js';
import { formatSummary } from '../src/report/summary.js';
import { analyseRuntime } from '../src/passes/runner.js';
import { probeRunner } from '../src/runtime/probe.js';
import type { RouteRow } from '../src/scan.js';
import { FIXTURES, scanAt } from './helpers.js';

const HELD = join(FIXTURES, 'held');
const scanWorkflow = (name: string): ReturnType<typeof scanAt> => scanAt(HELD, [`.github/workflows/${name}`]);
const rowOf = (name: string, job: string): RouteRow => {
  const row = scanWorkflow(name).routes.find((r) => r.job === job);
  if (!row) throw new Error(`no run in job ${job} of ${name}`);
  return row;
};
/** What a reader of the report needs: where the run is, who pays, and the credential that decides it. */
const billing = (r: RouteRow): unknown => ({
  job: r.job,
  at: [r.line, r.column],
  route: r.route,
  credential: r.credential && [r.credential.variable, r.credential.line, r.credential.column],
  shadowed: r.shadowed.map((s) => [s.variable, s.line, s.column]),
});
const rulesOf = (name: string): [string, string, number, number][] =>
  scanWorkflow(name).findings.map((f) => [f.rule, f.severity, f.span.line, f.span.column]);

describe('what counts as a credential being set', () => {
  it('an empty ANTHROPIC_API_KEY does not win: the OAuth token beside it bills', () => {
    expect(billing(rowOf('empty-key.yml', 'review'))).toEqual({
      job: 'review',
      at: [9, 14],
      route: 'subscription-oauth-token',
      credential: ['CLAUDE_CODE_OAUTH_TOKEN', 7, 32],
      shadowed: [],
    });
  });

  it('a key emptied by an expression in the step does not win either', () => {
    expect(billing(rowOf('empty-key.yml', 'emptied-by-expression'))).toEqual({
      job: 'emptied-by-expression',
      at: [16, 14],
      route: 'subscription-oauth-token',
      credential: ['CLAUDE_CODE_OAUTH_TOKEN', 14, 32],
      shadowed: [],
    });
  });

  it('a provider switch set to yes, On, TRUE or 1 sends the run to the cloud; 0 leaves it on the key', () => {
    const rows = scanWorkflow('switch-spellings.yml').routes.map(billing);
    const onBedrock = (job: string, line: number, run: number): unknown => ({
      job,
      at: [run, 14],
      route: 'bedrock',
      credential: ['CLAUDE_CODE_USE_BEDROCK', line, 32],
      shadowed: [['ANTHROPIC_API_KEY', line + 1, 26]],
    });
    expect(rows).toEqual([
      onBedrock('yes', 6, 9),
      onBedrock('on', 13, 16),
      onBedrock('true', 20, 23),
      onBedrock('one', 27, 30),
      {
        job: 'zero',
        at: [37, 14],
        route: 'api-key',
        credential: ['ANTHROPIC_API_KEY', 35, 26],
        shadowed: [],
      },
    ]);
  });

  it('--bare drops the OAuth token, so a bare run with only a token has no API route', () => {
    expect(scanWorkflow('bare.yml').routes.map(billing)).toEqual([
      { job: 'bare', at: [8, 14], route: 'subscription-login', credential: null, shadowed: [] },
      {
        job: 'plain',
        at: [14, 14],
        route: 'subscription-oauth-token',
        credential: ['CLAUDE_CODE_OAUTH_TOKEN', 12, 32],
        shadowed: [],
      },
    ]);
  });
});

describe('the authentication precedence, one neighbouring pair per job', () => {
  // Claude Code's order: Bedrock, Vertex, Foundry, ANTHROPIC_AUTH_TOKEN, ANTHROPIC_API_KEY, apiKeyHelper,
  // CLAUDE_CODE_OAUTH_TOKEN, federation, the stored login. Each job lists the lower one first in the file.
  const pairs: [
    job: string,
    route: string,
    winner: [string, number, number],
    loser: [string, number, number],
  ][] = [
    ['bedrock-over-vertex', 'bedrock', ['CLAUDE_CODE_USE_BEDROCK', 8, 32], ['CLAUDE_CODE_USE_VERTEX', 7, 31]],
    [
      'vertex-over-foundry',
      'vertex',
      ['CLAUDE_CODE_USE_VERTEX', 15, 31],
      ['CLAUDE_CODE_USE_FOUNDRY', 14, 32],
    ],
    [
      'foundry-over-gateway',
      'foundry',
      ['CLAUDE_CODE_USE_FOUNDRY', 22, 32],
      ['ANTHROPIC_AUTH_TOKEN', 21, 29],
    ],
    ['gateway-over-key', 'gateway-token', ['ANTHROPIC_AUTH_TOKEN', 29, 29], ['ANTHROPIC_API_KEY', 28, 26]],
    ['key-over-helper', 'api-key', ['ANTHROPIC_API_KEY', 35, 26], ['apiKeyHelper', 37, 52]],
    ['helper-over-oauth', 'api-key-helper', ['apiKeyHelper', 43, 52], ['CLAUDE_CODE_OAUTH_TOKEN', 41, 32]],
    [
      'oauth-over-federation',
      'subscription-oauth-token',
      ['CLAUDE_CODE_OAUTH_TOKEN', 49, 32],
      ['ANTHROPIC_FEDERATION_RULE_ID', 47, 37],
    ],
    [
      'federation-over-login',
      'workload-identity',
      ['ANTHROPIC_FEDERATION_RULE_ID', 55, 37],
      ['~/.claude/.credentials.json', 58, 51],
    ],
  ];
  // Scanned inside each test, not while jest collects them: the mutation run then knows which tests
  // reach the engine, instead of running every test for every mutant the collection touched.
  const rows = (): RouteRow[] => scanWorkflow('precedence.yml').routes;

  it.each(pairs)(
    '%s: the higher credential bills, the lower one is shadowed',
    (job, route, winner, loser) => {
      const row = rows().find((r) => r.job === job)!;
      expect(billing(row)).toMatchObject({ route, credential: winner, shadowed: [loser] });
    },
  );

  it('every job of the fixture is one of the pairs', () => {
    expect(rows().map((r) => r.job)).toEqual(pairs.map((p) => p[0]));
  });
});

describe('values that reach the run', () => {
  it("a composite action's input default applies only when the caller passes nothing", () => {
    expect(scanWorkflow('composite-default.yml').routes.map(billing)).toEqual([
      {
        job: 'turned-off',
        at: [6, 15],
        route: 'api-key',
        credential: ['ANTHROPIC_API_KEY', 9, 20],
        shadowed: [],
      },
      {
        job: 'defaulted',
        at: [13, 15],
        route: 'bedrock',
        credential: ['CLAUDE_CODE_USE_BEDROCK', 6, 14],
        shadowed: [['ANTHROPIC_API_KEY', 15, 20]],
      },
    ]);
  });

  it('a NAME<<EOF block written to $GITHUB_ENV sets the key for later steps', () => {
    expect(billing(rowOf('env-block.yml', 'review'))).toEqual({
      job: 'review',
      at: [10, 14],
      route: 'api-key',
      credential: ['ANTHROPIC_API_KEY', 7, 17],
      shadowed: [['CLAUDE_CODE_OAUTH_TOKEN', 12, 36]],
    });
  });

  it('> $GITHUB_ENV replaces what the step wrote before, so an earlier key write is gone', () => {
    expect(billing(rowOf('env-truncated.yml', 'review'))).toEqual({
      job: 'review',
      at: [9, 14],
      route: 'subscription-oauth-token',
      credential: ['CLAUDE_CODE_OAUTH_TOKEN', 11, 36],
      shadowed: [],
    });
  });
});

describe('triggers and fork pull requests', () => {
  it("a fork guard on the step's if: keeps the secret warning away; without it the trigger is flagged", () => {
    expect(rulesOf('fork-guard-step.yml')).toEqual([]);
    expect(rulesOf('fork-unguarded.yml')).toEqual([['secret-unavailable-on-trigger', 'warning', 1, 5]]);
  });

  it('pull_request_target is flagged only when the job checks out the pull request head', () => {
    expect(rulesOf('target-no-checkout.yml')).toEqual([]);
    expect(rulesOf('target-head-checkout.yml')).toEqual([
      ['untrusted-checkout-with-secrets', 'error', 9, 16],
    ]);
  });

  it('the runner probe tells a fork by the head repository name, even without the fork flag', () => {
    const reasonFor = (head: string): string => {
      const dir = mkdtempSync(join(tmpdir(), 'crg-event-'));
      const event = join(dir, 'event.json');
      writeFileSync(
        event,
        JSON.stringify({
          pull_request: { head: { repo: { full_name: head } }, base: { repo: { full_name: 'octo/repo' } } },
        }),
      );
      const facts = probeRunner({
        env: { ANTHROPIC_API_KEY: '', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event },
        home: dir,
        workspace: dir,
        platform: 'linux',
        mask: () => undefined,
      });
      return analyseRuntime({ facts }).findings.find((f) => f.rule === 'runtime-credential-shape')!.message;
    };
    expect(reasonFor('someone/repo')).toContain(
      '(this pull request comes from a fork, which gets no secrets)',
    );
    expect(reasonFor('octo/repo')).toContain('(Dependabot and fork pull requests get no secrets)');
  });
});

describe('where ANTHROPIC_BASE_URL sends the key', () => {
  it("only Anthropic's own hosts count as Anthropic: a look-alike name is a third party", () => {
    const rows = scanWorkflow('endpoints.yml').routes;
    expect(rows.map((r) => [r.job, r.route, r.endpoint])).toEqual([
      ['lookalike-prefix', 'api-key', 'https://evilanthropic.com'],
      ['lookalike-suffix', 'api-key', 'https://anthropic.com.evil.io/…'],
      ['anthropic', 'api-key', null],
    ]);
    expect(rulesOf('endpoints.yml')).toEqual([
      ['third-party-endpoint', 'notice', 6, 27],
      ['third-party-endpoint', 'notice', 13, 27],
    ]);
  });
});

describe('annotations on the runner', () => {
  it('come most severe first, whatever order the file gives them', () => {
    const findings = scanWorkflow('precedence.yml').findings;
    expect(findings.map((f) => f.severity).slice(0, 3)).toEqual(['warning', 'notice', 'warning']);
    const commands = formatGithub(findings)
      .split('\n')
      .map((l) => /^::(\w+) .*line=(\d+),/.exec(l)!.slice(1, 3).join(':'));
    expect(commands[0]).toBe('error:49');
    expect(commands.slice(1, 8)).toEqual(
      ['7', '14', '21', '28', '37', '41', '47'].map((line) => `warning:${line}`),
    );
    expect(commands.slice(9).every((c) => c.startsWith('notice:'))).toBe(true);
  });

  it('ten errors are all annotated; the eleventh is counted in a notice instead', () => {
    const findings = scanWorkflow('eleven-subscriptions.yml').findings;
    expect(findings.map((f) => f.rule)).toEqual(Array(11).fill('subscription-token-in-ci'));
    const ten = formatGithub(findings.slice(0, 10)).split('\n');
    expect(ten).toHaveLength(10);
    expect(ten.every((l) => l.startsWith('::error '))).toBe(true);
    const eleven = formatGithub(findings).split('\n');
    expect(eleven.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(eleven[10]).toMatch(/^::notice::1 finding\(s\) are not annotated because GitHub shows at most 10/);
    expect(eleven).toHaveLength(11);
  });

  it("escape the file name's , and %, the title's :, and a message's line breaks", () => {
    const [finding] = scanWorkflow('nightly,50%.yml').findings;
    expect(formatGithub([finding!])).toMatch(
      /^::error file=\.github\/workflows\/nightly%2C50%25\.yml,line=10,endLine=10,col=36,endColumn=\d+,title=claude-route-guard%3A subscription-token-in-ci::Job `nightly` /,
    );
    const broken = formatGithub([{ ...finding!, message: '100% sure\r\n::error::forged' }]);
    expect(broken.split('\n')).toHaveLength(1);
    expect(broken).toMatch(/::100%25 sure%0D%0A::error::forged$/);
  });
});

describe('the job summary', () => {
  it("keeps a step name's | inside its cell", () => {
    const summary = formatSummary(scanWorkflow('nightly,50%.yml'), {});
    const row = summary.split('\n').find((l) => l.includes('nightly') && l.startsWith('| '))!;
    expect(row).toBe(
      '| <code>.github/workflows/nightly,50%.yml</code> | nightly | review &#124; nightly | <code>claude -p</code> | subscription-oauth-token | ' +
        'CLAUDE_CODE_OAUTH_TOKEN from <code>secrets.CLAUDE_CODE_OAUTH_TOKEN</code> (step, line 10) | error: subscription-token-in-ci |',
    );
  });
});

describe('policy globs', () => {
  const verdictWith = (workflow: string): string => {
    const policy = parsePolicy(
      `allow:\n  - workflow: '${workflow}'\n    routes: [subscription-oauth-token]\n    reason: owner pays\n`,
      '.github/claude-route-guard.yml',
    );
    const [row] = scanAt(HELD, ['.github/workflows/nightly,50%.yml'], policy).routes;
    return row!.verdict;
  };

  it('* stays within one folder, ** crosses folders', () => {
    expect(verdictWith('.github/*/nightly*')).toBe('intended: owner pays');
    expect(verdictWith('.github/**')).toBe('intended: owner pays');
    expect(verdictWith('.github/*')).toBe('error: subscription-token-in-ci');
    expect(verdictWith('*/workflows/nightly*')).toBe('intended: owner pays');
    expect(verdictWith('*nightly*')).toBe('error: subscription-token-in-ci');
  });
});
