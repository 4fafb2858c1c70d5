/**
 * Channels through which a step changes a later step's environment ($GITHUB_ENV, $GITHUB_PATH, the
 * toolkit's exportVariable and addPath): what the scan follows is followed exactly, what it cannot follow
 * leaves the later run `unknown` with the subscription among its outcomes, and steps that are no suspects
 * leave the route as the files fix it.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { Report, RouteRow } from '../src/scan.js';
import { FIXTURES, scanAt } from './helpers.js';

const REPOSITORY = join(FIXTURES, 'env-channels');
const scan = (workflow: string): Report => scanAt(REPOSITORY, [`.github/workflows/${workflow}`]);

/** Who pays, as a reader of the row sees it: where, the route and how sure, its outcomes and verdict. */
const billing = (r: RouteRow): unknown => ({
  at: [r.line, r.column],
  label: r.label,
  route: r.route,
  certainty: r.certainty,
  outcomes: r.outcomes,
  verdict: r.verdict,
  credential: r.credential && [r.credential.variable, r.credential.level, r.credential.line],
});

const rowsOf = (report: Report): Record<string, unknown> =>
  Object.fromEntries(report.routes.map((r) => [r.job, billing(r)]));

const findingsOf = (report: Report): [string, string, number, number][] =>
  report.findings.map((f) => [f.rule, f.severity, f.span.line, f.span.column]);

/** A later `claude -p` that an unfollowed write leaves undecided: api-key or the job's token. */
const undecided = (line: number): unknown => ({
  at: [line, 14],
  label: 'claude -p',
  route: 'unknown',
  certainty: 'unknown',
  outcomes: ['api-key', 'subscription-oauth-token'],
  verdict: 'warning: subscription-token-in-ci',
  credential: ['ANTHROPIC_API_KEY', 'workflow', 6],
});

describe('a write to a later step’s environment that the scan cannot follow', () => {
  const report = scan('unfollowed.yml');

  it('leaves every later run unknown, the job’s token among its outcomes, a warning on the token', () => {
    expect(rowsOf(report)).toEqual({
      'pwsh-add-content': undecided(14),
      'pwsh-out-file': undecided(21),
      'pwsh-redirect': undecided(27),
      'file-in-variable': undecided(34),
      'name-in-variable': undecided(41),
      descriptor: undecided(48),
      'group-on-descriptor': undecided(54),
      'from-file': undecided(60),
      'through-program': undecided(65),
      'python-file': undecided(70),
      'python-shell': undecided(79),
      'script-computed-name': undecided(88),
      'script-appends-file': undecided(97),
      'script-requires-file': undecided(107),
      'composite-pwsh': undecided(113),
      'retry-input': undecided(121),
    });
    expect(findingsOf(report)).toEqual([
      ['broad-credential-scope', 'warning', 6, 3],
      ['broad-credential-scope', 'warning', 7, 3],
      ['subscription-token-in-ci', 'warning', 7, 28],
      ...[14, 21, 27, 34, 41, 48, 54, 60, 65, 70, 79, 88, 97, 107, 113, 121].map(
        (line): [string, string, number, number] => ['unbounded-spend', 'notice', line, 14],
      ),
    ]);
  });

  it.each([
    [
      'pwsh-add-content',
      "the step's script names $GITHUB_ENV at line 13 of .github/workflows/unfollowed.yml",
    ],
    ['pwsh-redirect', "the step's script names $GITHUB_ENV at line 25"],
    [
      'file-in-variable',
      '`target="$GITHUB_ENV"` uses $GITHUB_ENV in a way the scan does not follow, at line 32',
    ],
    [
      'name-in-variable',
      'the step writes `${name}=`, a line whose name only run time knows to $GITHUB_ENV at line 40',
    ],
    ['descriptor', '`exec 4>>"$GITHUB_ENV"` uses $GITHUB_ENV in a way the scan does not follow, at line 46'],
    ['group-on-descriptor', '`} 5>>"$GITHUB_ENV" >&5` uses $GITHUB_ENV'],
    ['from-file', 'the step writes lines only run time knows to $GITHUB_ENV at line 59'],
    ['through-program', 'the step writes lines only run time knows to $GITHUB_ENV at line 64'],
    ['python-file', '`scripts/export_env.py` names $GITHUB_ENV or $GITHUB_PATH'],
    ['python-shell', "the step's script names $GITHUB_ENV at line 77"],
    [
      'script-computed-name',
      'the github-script at line 87 of .github/workflows/unfollowed.yml writes the environment',
    ],
    ['script-appends-file', 'the github-script at line 96'],
    ['script-requires-file', 'the github-script at line 105'],
    [
      'composite-pwsh',
      "the step's script names $GITHUB_ENV at line 7 of .github/actions/clear-key/action.yml",
    ],
    ['retry-input', 'the input `command` at line 120 of .github/workflows/unfollowed.yml names GITHUB_ENV'],
  ])('%s: the reason names what was not followed, and where', (job, why) => {
    const row = report.routes.find((r) => r.job === job)!;
    expect(row.reason).toContain(why);
    expect(row.reason).toMatch(/; without that, the route would be api-key$/);
  });
});

describe('a subscription token a write the scan cannot follow may add', () => {
  const report = scan('added-token.yml');

  it('is among the outcomes of a run that has only a key, and the warning sits on the write', () => {
    expect(rowsOf(report)).toEqual({
      // The literal exportVariable empties the key; the computed one may set the token.
      'computed-name': {
        at: [18, 14],
        label: 'claude -p',
        route: 'unknown',
        certainty: 'unknown',
        outcomes: ['subscription-oauth-token', 'subscription-login'],
        verdict: 'warning: subscription-token-in-ci',
        credential: ['CLAUDE_CODE_OAUTH_TOKEN', 'github-env', 17],
      },
      // A folder only run time knows, first on PATH: which `claude` runs is run time's.
      'path-from-variable': {
        at: [25, 14],
        label: 'claude -p',
        route: 'unknown',
        certainty: 'unknown',
        outcomes: ['api-key', 'subscription-oauth-token'],
        verdict: 'warning: subscription-token-in-ci',
        credential: ['ANTHROPIC_API_KEY', 'job', 22],
      },
      // The same from PowerShell: the folder it writes is a variable's.
      'pwsh-path-from-variable': {
        at: [32, 14],
        label: 'claude -p',
        route: 'unknown',
        certainty: 'unknown',
        outcomes: ['api-key', 'subscription-oauth-token'],
        verdict: 'warning: subscription-token-in-ci',
        credential: ['ANTHROPIC_API_KEY', 'job', 29],
      },
    });
    expect(findingsOf(report)).toEqual([
      ['subscription-token-in-ci', 'warning', 17, 18],
      ['unbounded-spend', 'notice', 18, 14],
      ['subscription-token-in-ci', 'warning', 24, 19],
      ['unbounded-spend', 'notice', 25, 14],
      ['subscription-token-in-ci', 'warning', 31, 31],
      ['unbounded-spend', 'notice', 32, 14],
    ]);
    const path = report.routes.find((r) => r.job === 'path-from-variable')!;
    expect(path.reason).toBe(
      '`$TOOLS_DIR` is put first on PATH at line 24 of .github/workflows/added-token.yml, so which `claude` runs is decided at run time; without that, the route would be api-key',
    );
  });
});

describe('writes the scan follows exactly', () => {
  const report = scan('followed.yml');
  /** The wrapper in bin/ drops the key, so the job's token bills. */
  const wrapped = (line: number, column: number): unknown => ({
    at: [line, column],
    label: 'bin/claude → /usr/local/bin/claude',
    route: 'subscription-oauth-token',
    certainty: 'known',
    outcomes: ['subscription-oauth-token'],
    verdict: 'error: subscription-token-in-ci',
    credential: ['CLAUDE_CODE_OAUTH_TOKEN', 'workflow', 6],
  });

  it('set what they name; a committed `claude` first on PATH is what runs, read as the script it is', () => {
    expect(rowsOf(report)).toEqual({
      'script-literal': {
        at: [14, 14],
        label: 'claude -p',
        route: 'subscription-oauth-token',
        certainty: 'known',
        outcomes: ['subscription-oauth-token'],
        verdict: 'error: subscription-token-in-ci',
        credential: ['CLAUDE_CODE_OAUTH_TOKEN', 'workflow', 6],
      },
      'script-secret': {
        at: [22, 14],
        label: 'claude -p',
        route: 'api-key',
        certainty: 'known',
        outcomes: ['api-key'],
        verdict: 'warning: shadowed-credential',
        credential: ['ANTHROPIC_API_KEY', 'github-env', 21],
      },
      'path-wrapper': wrapped(28, 14),
      'path-export': wrapped(35, 11),
      'path-added-by-script': wrapped(43, 14),
      'composite-named-write': {
        at: [49, 14],
        label: 'claude -p',
        route: 'subscription-oauth-token',
        certainty: 'known',
        outcomes: ['subscription-oauth-token'],
        verdict: 'error: subscription-token-in-ci',
        credential: ['CLAUDE_CODE_OAUTH_TOKEN', 'workflow', 6],
      },
    });
    expect(findingsOf(report)).toEqual([
      ['broad-credential-scope', 'warning', 5, 3],
      ['broad-credential-scope', 'warning', 6, 3],
      ['shadowed-credential', 'warning', 6, 28],
      ['subscription-token-in-ci', 'error', 6, 28],
      ...[
        [14, 14],
        [22, 14],
        [28, 14],
        [35, 11],
        [43, 14],
        [49, 14],
      ].map(([line, column]): [string, string, number, number] => [
        'unbounded-spend',
        'notice',
        line!,
        column!,
      ]),
    ]);
  });

  it('the wrapper’s run is a hop from the `claude` the step names to the one the wrapper starts', () => {
    const row = report.routes.find((r) => r.job === 'path-wrapper')!;
    expect(row.hops.map((h) => [h.file, h.line, h.column, h.label])).toEqual([
      ['.github/workflows/followed.yml', 28, 14, 'bin/claude'],
      ['bin/claude', 4, 6, '/usr/local/bin/claude'],
    ]);
    expect(row.headless).toBe(true);
  });
});

describe('steps that are no suspects', () => {
  it('checkout, a cloud login, a setup action writing other variables, followed writes and reads, PATH outside the workspace leave the key', () => {
    const report = scan('innocent.yml');
    expect(rowsOf(report)).toEqual({
      review: {
        at: [35, 14],
        label: 'claude -p',
        route: 'api-key',
        certainty: 'known',
        outcomes: ['api-key'],
        verdict: 'notice: unbounded-spend',
        credential: ['ANTHROPIC_API_KEY', 'job', 9],
      },
    });
    expect(report.routes[0]!.reason).toBeNull();
    expect(findingsOf(report)).toEqual([['unbounded-spend', 'notice', 35, 14]]);
  });
});

describe('the official action’s path_to_claude_code_executable', () => {
  const report = scan('executable.yml');

  it('a committed wrapper is what runs, with the action’s env; a computed path is run time’s; an installed one is Claude Code', () => {
    expect(rowsOf(report)).toEqual({
      'committed-wrapper': {
        at: [13, 43],
        label: 'anthropics/claude-code-action@v1 → bin/claude → /usr/local/bin/claude',
        route: 'subscription-oauth-token',
        certainty: 'known',
        outcomes: ['subscription-oauth-token'],
        verdict: 'error: subscription-token-in-ci',
        credential: ['CLAUDE_CODE_OAUTH_TOKEN', 'action-input', 12],
      },
      'computed-path': {
        at: [17, 15],
        label: 'anthropics/claude-code-action@v1',
        route: 'unknown',
        certainty: 'unknown',
        outcomes: ['api-key', 'subscription-oauth-token'],
        verdict: 'warning: subscription-token-in-ci',
        credential: ['ANTHROPIC_API_KEY', 'action-input', 19],
      },
      installed: {
        at: [24, 15],
        label: 'anthropics/claude-code-action@v1',
        route: 'api-key',
        certainty: 'known',
        outcomes: ['api-key'],
        verdict: 'notice: unbounded-spend',
        credential: ['ANTHROPIC_API_KEY', 'action-input', 26],
      },
    });
    expect(findingsOf(report)).toEqual([
      ['subscription-token-in-ci', 'error', 12, 36],
      ['unbounded-spend', 'notice', 13, 43],
      ['unbounded-spend', 'notice', 17, 15],
      ['subscription-token-in-ci', 'warning', 20, 43],
      ['unbounded-spend', 'notice', 24, 15],
    ]);
    expect(report.routes.find((r) => r.job === 'committed-wrapper')!.headless).toBe(true);
  });
});
