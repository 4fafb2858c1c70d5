import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadFiles } from '../src/load.js';
import { scan, type Report } from '../src/scan.js';
import { FIXTURES, REPO } from './helpers.js';

/** Each construct of the credential flow has its own job in a fixture; rows are [job, route, certainty, line, column]. */
function scanFlow(name: string, root = REPO): Report {
  return scan(loadFiles([`.github/workflows/${name}`], { cwd: root, repoName: 'acme/fixtures' }, []));
}

function rows(report: Report): [string, string, string, number, number][] {
  return report.routes.map((r) => [r.job, r.route, r.certainty, r.line, r.column]);
}

function findings(report: Report, rule: string): [number, number, string][] {
  return report.findings.filter((f) => f.rule === rule).map((f) => [f.span.line, f.span.column, f.severity]);
}

describe('expressions carry their possible outcomes', () => {
  // Scanned in each test, so a mutation run ties each mutant to the tests that see it.
  const report = (): Report => scanFlow('flow-expressions.yml');

  it('sees through format(), and gives fromJSON, secrets[...] and `cond && secret` as run-time choices', () => {
    expect(rows(report())).toEqual([
      ['formatted', 'subscription-oauth-token', 'known', 6, 15],
      ['field', 'unknown', 'unknown', 12, 14],
      ['indexed', 'unknown', 'unknown', 21, 14],
      ['conditional', 'unknown', 'unknown', 27, 14],
    ]);
    for (const r of report().routes.slice(1)) expect(r.outcomes).toContain('subscription-oauth-token');
  });

  it('never leaves a possible subscription at a silent ok: an error when sure, a warning when possible', () => {
    expect(findings(report(), 'subscription-token-in-ci')).toEqual([
      [8, 36, 'error'],
      [14, 36, 'warning'],
      [23, 36, 'warning'],
      [29, 36, 'warning'],
    ]);
    expect(report().routes.map((r) => r.verdict)).not.toContain('ok');
  });
});

describe('opaque consumers get rows inferred from what reaches them', () => {
  // Scanned in each test, so a mutation run ties each mutant to the tests that see it.
  const report = (): Report => scanFlow('flow-opaque.yml');

  it('rows for a remote action, a remote reusable workflow, inherit, a program, docker run -e and a Docker action', () => {
    expect(rows(report())).toEqual([
      // Handed a subscription token beside the job's key: which one it uses is its own choice.
      ['remote-action', 'unknown', 'unknown', 9, 15],
      ['remote-reusable', 'api-key', 'inferred', 13, 11],
      ['inherits', 'unknown', 'unknown', 17, 11],
      ['program', 'subscription-oauth-token', 'inferred', 26, 14],
      ['container', 'gateway-token', 'inferred', 32, 14],
      ['ambient', 'api-key', 'inferred', 44, 14],
      ['docker-action', 'api-key', 'inferred', 54, 15],
    ]);
  });

  it('names what was not seen, in the row and the JSON `opaque` field', () => {
    const program = report().routes.find((r) => r.job === 'program')!;
    expect(program.opaque).toBe(
      '`python controller.py` receives CLAUDE_CODE_OAUTH_TOKEN; its inside was not checked',
    );
    expect(program.reason).toBe(program.opaque);
    expect(report().routes.find((r) => r.job === 'container')!.opaque).toBe(
      '`docker run` receives ANTHROPIC_AUTH_TOKEN; its inside was not checked',
    );
  });

  it('does not make checkout, an inherit into a non-Claude workflow, or an echo a consumer; says the key is unused', () => {
    expect(report().routes.map((r) => r.job)).not.toContain('inherits-build');
    expect(report().routes.map((r) => r.job)).not.toContain('unused');
    expect(findings(report(), 'unused-credential')).toEqual([[48, 7, 'notice']]);
    expect(findings(report(), 'unbounded-spend')).toEqual([]);
  });

  it('reads a Docker action on its own: runs.env wired to an input is the route, inferred', () => {
    const alone = scan(loadFiles(['.github/actions/docker-claude/action.yml'], { cwd: REPO }, []));
    expect(rows(alone)).toEqual([['(composite)', 'api-key', 'inferred', 7, 10]]);
    expect(alone.routes[0]!.reason).toContain('depends on the caller passing `inputs.key`');
  });
});

describe('what removes or hides a credential before Claude starts', () => {
  // Scanned in each test, so a mutation run ties each mutant to the tests that see it.
  const report = (): Report => scanFlow('flow-removals.yml');

  it('models env -u, env -i, NAME=, export -n, declare +x, tee and NAME<<EOF to $GITHUB_ENV, shells, sourced and copied files', () => {
    expect(rows(report())).toEqual([
      ['env-u', 'subscription-oauth-token', 'known', 9, 39],
      ['env-i', 'subscription-login', 'known', 13, 34],
      ['bare-assignment', 'subscription-oauth-token', 'known', 19, 11],
      ['export-n', 'subscription-oauth-token', 'known', 25, 11],
      ['declare-plus-x', 'subscription-oauth-token', 'known', 31, 11],
      ['tee-github-env', 'subscription-oauth-token', 'known', 36, 14],
      ['heredoc-github-env', 'subscription-oauth-token', 'known', 46, 14],
      ['sourced', 'unknown', 'unknown', 52, 11],
      ['custom-shell', 'subscription-oauth-token', 'known', 59, 14],
      ['python-shell', 'unknown', 'unknown', 66, 28],
      ['stored-login', 'subscription-oauth-token', 'known', 74, 14],
      ['user-settings', 'bedrock', 'known', 81, 11],
      ['container-env', 'subscription-oauth-token', 'known', 89, 14],
      ['sourced-repository-file', 'subscription-oauth-token', 'known', 95, 11],
      ['bash-env', 'unknown', 'unknown', 101, 14],
    ]);
  });

  it('says why a run-time file or another shell leaves the route unknown, and warns of the subscription it may fall to', () => {
    const sourced = report().routes.find((r) => r.job === 'sourced')!;
    expect(sourced.reason).toContain('sources `./generated.env`');
    expect(report().routes.find((r) => r.job === 'bash-env')!.reason).toContain('BASH_ENV names a file');
    const python = report().routes.find((r) => r.job === 'python-shell')!;
    expect(python.reason).toContain('runs under `python`');
    expect(python.outcomes).toEqual(['api-key', 'subscription-oauth-token']);
    // The same token's finding already stands at its line for another job, so the verdict names it.
    expect(python.verdict).toMatch(/: subscription-token-in-ci$/);
  });

  it('does not call a credential shadowed by a key that is removed before Claude starts', () => {
    // Only user-settings really has a winner (the copied settings' Bedrock switch) above the keys.
    const shadowed = report().findings.filter((f) => f.rule === 'shadowed-credential');
    expect(shadowed.map((f) => [f.span.line, f.span.column])).toEqual([
      [3, 22],
      [4, 28],
    ]);
    for (const f of shadowed) expect(f.message).toContain('Job `user-settings`');
  });
});

describe('shell as bash reads it', () => {
  it('finds Claude under every spelling, at the word that names it', () => {
    expect(rows(scanFlow('flow-spellings.yml'))).toEqual(
      [
        [10, 11],
        [11, 11],
        [12, 11],
        [13, 22],
        [14, 17],
        [15, 21],
        [16, 23],
        [17, 20],
        [18, 37],
        [19, 16],
        [20, 23],
        [21, 26],
      ].map(([line, column]) => ['spellings', 'api-key', 'known', line, column]),
    );
  });

  it('gives no row to an import check, `command -v claude` or a link to it, nor to a caller of that job', () => {
    const report = scanFlow('flow-spellings.yml');
    expect(report.routes.filter((r) => r.job === 'not-runs')).toEqual([]);
  });
});

describe('where the SDK and the wrapper come from', () => {
  it('an install of what pyproject.toml declares makes the next program an Agent SDK run', () => {
    const report = scanFlow('agent.yml', join(FIXTURES, 'sdk-repo'));
    expect(rows(report)).toEqual([['agent', 'api-key', 'known', 8, 14]]);
    expect(report.routes[0]!.invocation).toBe('agent-sdk');
  });

  it('reads this repository in remote form from the checkout, with a note on the ref', () => {
    const report = scanFlow('flow-same-repo.yml');
    expect(rows(report)).toEqual([['wrapped', 'api-key', 'known', 6, 15]]);
    expect(report.routes[0]!.reason).toContain('`main` may differ from the checkout');
    const unnamed = scan(loadFiles(['.github/workflows/flow-same-repo.yml'], { cwd: REPO }, []));
    expect(rows(unnamed)).toEqual([]);
  });
});
