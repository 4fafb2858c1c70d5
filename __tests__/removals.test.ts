/**
 * What a script may do is not what it surely does: a removal or a write under a condition, through a name
 * held elsewhere, or by code the engine cannot follow leaves the variable "maybe", so the route is decided
 * at run time with the subscription among its outcomes, and the row is at least a warning. Each fixture is
 * one construct of `constructs/` (its table holds the whole answer); these tests state why.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { conditionsOf } from '../src/shell/conditions.js';
import { parseShell } from '../src/shell/reader.js';
import type { RouteRow } from '../src/scan.js';
import { FIXTURES, scanAt } from './helpers.js';

const CONSTRUCTS = join(FIXTURES, 'constructs');

function construct(name: string): ReturnType<typeof scanAt> {
  return scanAt(CONSTRUCTS, [`.github/workflows/${name}.yml`]);
}

/** The row a reader sees: who pays, how sure, every outcome, the verdict and why. */
function row(name: string): Pick<RouteRow, 'route' | 'certainty' | 'outcomes' | 'verdict' | 'reason'> {
  const routes = construct(name).routes;
  expect(routes).toHaveLength(1);
  const { route, certainty, outcomes, verdict, reason } = routes[0]!;
  return { route, certainty, outcomes, verdict, reason };
}

const findings = (name: string): [string, string, number, number][] =>
  construct(name).findings.map((f) => [f.rule, f.severity, f.span.line, f.span.column]);

/** An undecided key over a live subscription token: both are outcomes, and the token's line warns. */
const maybeGone = (reason: string): ReturnType<typeof row> => ({
  route: 'unknown',
  certainty: 'unknown',
  outcomes: ['api-key', 'subscription-oauth-token'],
  verdict: 'warning: subscription-token-in-ci',
  reason: `ANTHROPIC_API_KEY ${reason}; when it is empty, CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) is used`,
});

describe('which commands of a bash script may not run, or not keep their changes', () => {
  const why = (script: string): [string, string][] => {
    const commands = parseShell(script);
    return [...conditionsOf(commands, script)].map(([k, w]) => [
      commands[k]!.words.map((x) => x.text).join(' '),
      w,
    ]);
  };

  it('after && and ||, inside if, case and loops, in a function body, a subshell, a pipeline, the background', () => {
    const script = [
      'a && unset A',
      'b || B=',
      'if c; then unset C; else unset D; fi',
      'case "$x" in y) unset E ;; esac',
      'for f in 1; do unset F; done',
      'g() { unset G; }',
      'function h {',
      '  unset H',
      '}',
      '( unset I )',
      'unset J | cat',
      'unset K &',
      'unset L',
    ].join('\n');
    expect(why(script)).toEqual([
      ['unset A', 'after `&&`'],
      ['B=', 'after `||`'],
      ['then unset C', 'inside `if`'],
      ['else unset D', 'inside `if`'],
      ['unset E', 'inside `case`'],
      ['do unset F', 'inside a loop'],
      ['{ unset G', 'in a function body, run only when called'],
      ['function h {', 'in a function body, run only when called'],
      ['unset H', 'in a function body, run only when called'],
      ['unset I', 'in a subshell, whose changes do not reach the script'],
      ['unset J', 'in a pipeline, whose commands run in subshells'],
      ['cat', 'in a pipeline, whose commands run in subshells'],
      ['unset K', 'in the background, in a subshell'],
    ]);
  });

  it('an exit that always runs makes what follows conditional; one after || does not', () => {
    expect(why('[ -n "$X" ] || exit 0\nunset A\nexit 0\nunset B')).toEqual([
      ['exit 0', 'after `||`'],
      ['unset B', 'after an `exit` that always runs'],
    ]);
  });
});

describe('bash removals under a condition are "maybe", never "gone"', () => {
  it.each([
    ['cond-and', 'may be changed by line 12 (after `&&`)'],
    ['cond-or', 'may be changed by line 12 (after `||`)'],
    ['cond-if', 'may be changed by line 13 (inside `if`)'],
    ['cond-case', 'may be changed by line 13 (inside `case`)'],
    ['cond-loop', 'may be changed by line 13 (inside a loop)'],
    ['cond-function', 'may be changed by line 12 (in a function body, run only when called)'],
    ['cond-function-called', 'may be changed by line 13 (in a function body, run only when called)'],
    ['cond-subshell', 'may be changed by line 12 (in a subshell, whose changes do not reach the script)'],
  ])('%s: the key is undecided and the subscription is an outcome', (name, reason) => {
    expect(row(name)).toEqual(maybeGone(reason));
  });

  it('a key set again under a condition is set either way, and code after exit changes nothing', () => {
    expect(row('cond-set-both')).toMatchObject({ route: 'api-key', certainty: 'known', verdict: 'ok' });
    expect(row('cond-after-exit')).toMatchObject({ route: 'api-key', certainty: 'known' });
  });
});

describe('a step that may be skipped', () => {
  it('its `if:` makes what it writes to $GITHUB_ENV "maybe"; under always() the write stands', () => {
    const rows = construct('cond-step-if').routes.map((r) => [
      r.job,
      r.route,
      r.outcomes,
      r.verdict,
      r.reason,
    ]);
    expect(rows).toEqual([
      [
        'conditional',
        'unknown',
        ['api-key', 'subscription-oauth-token'],
        'warning: subscription-token-in-ci',
        "ANTHROPIC_API_KEY may be written to $GITHUB_ENV by a step that runs only if `github.event_name == 'schedule'`; when it is empty, CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) is used",
      ],
      [
        'always',
        'subscription-oauth-token',
        ['subscription-oauth-token'],
        'error: subscription-token-in-ci',
        null,
      ],
    ]);
  });
});

describe('bash removals through indirection', () => {
  it.each([
    'remove-unset-indirect',
    'remove-read-here-string',
    'remove-printf-v',
    'remove-declare-array',
    'remove-nameref',
  ])('%s removes or empties the key: the token bills, an error', (name) => {
    expect(row(name)).toMatchObject({ route: 'subscription-oauth-token', certainty: 'known' });
    expect(findings(name)).toContainEqual(['subscription-token-in-ci', 'error', 9, 32]);
  });

  it('`unset -f` removes a function, and unrelated unsets and conditional exports change nothing', () => {
    for (const name of ['remove-unset-function', 'remove-unset-unrelated'])
      expect(row(name)).toMatchObject({
        route: 'api-key',
        certainty: 'known',
        verdict: 'warning: shadowed-credential',
      });
  });

  it('a name computed at run time leaves every credential undecided', () => {
    expect(row('remove-unset-computed')).toEqual({
      ...maybeGone('is decided at run time'),
      reason:
        '`unset $1` names a variable the script computes at run time; without that, the route would be api-key',
    });
  });

  it('an export of a computed name may set the subscription token, so it is an outcome even with only a key', () => {
    expect(row('remove-export-computed')).toMatchObject({
      route: 'unknown',
      outcomes: ['api-key', 'subscription-oauth-token'],
      verdict: 'warning: subscription-token-in-ci',
    });
    expect(findings('remove-export-computed')).toEqual([['subscription-token-in-ci', 'warning', 11, 18]]);
  });

  it('`set -a` and `export NAME` after an assignment export what the script assigned', () => {
    for (const name of ['set-allexport', 'set-export-assigned'])
      expect(row(name)).toMatchObject({ route: 'api-key', certainty: 'known' });
  });
});

describe('PowerShell environment changes', () => {
  it('a name joined from literals, a -Environment table and a Windows name of another case remove the key', () => {
    for (const name of ['pwsh-setenv-joined', 'pwsh-start-process-environment', 'pwsh-windows-case'])
      expect(row(name)).toMatchObject({
        route: 'subscription-oauth-token',
        certainty: 'known',
        verdict: 'error: subscription-token-in-ci',
      });
  });

  it('on Linux a name of another case is another variable, and a User-scope write leaves the process alone', () => {
    for (const name of ['pwsh-linux-case', 'pwsh-setenv-user-scope'])
      expect(row(name)).toMatchObject({ route: 'api-key', certainty: 'known' });
  });

  it('where runs-on does not say the system, a name of another case is a "maybe" removal', () => {
    expect(row('pwsh-unknown-os-case')).toEqual(
      maybeGone(
        'may be changed by line 13 as `anthropic_api_key`, the same variable on a Windows runner (runs-on does not say which system runs the job)',
      ),
    );
  });

  it('inside a { } block or after && a removal is "maybe"; inside try { } it stands', () => {
    expect(row('pwsh-if-block')).toEqual(
      maybeGone('may be changed by line 13 (inside a `{ }` block, which may not run)'),
    );
    expect(row('pwsh-and-or')).toEqual(maybeGone('may be changed by line 13 (after `&&`)'));
    expect(row('pwsh-try-block')).toMatchObject({ route: 'subscription-oauth-token', certainty: 'known' });
  });

  it('a script in the step’s process, a computed name or a computed table may set the subscription token', () => {
    for (const name of [
      'pwsh-call-script-only-key',
      'pwsh-setenv-computed',
      'pwsh-start-process-table-variable',
    ]) {
      const r = row(name);
      expect(r.route).toBe('unknown');
      expect(r.outcomes).toContain('subscription-oauth-token');
      expect(r.verdict).toBe('warning: subscription-token-in-ci');
    }
    // The warning sits on the line that may set the token: the script run in the step's process.
    expect(findings('pwsh-call-script-only-key')).toEqual([['subscription-token-in-ci', 'warning', 15, 13]]);
  });

  it('a token a script may set is handed to no program: an install through iex makes no consumer row', () => {
    expect(construct('pwsh-install-iex').routes).toEqual([]);
  });
});

describe('code that runs at a call, on a signal, or only at run time (#26)', () => {
  it('a function runs with its call’s environment: a prefix assignment or an unset before the call', () => {
    expect(row('function-call-prefix')).toEqual({
      route: 'subscription-oauth-token',
      certainty: 'known',
      outcomes: ['subscription-oauth-token'],
      verdict: 'error: subscription-token-in-ci',
      reason: null,
    });
    expect(findings('function-call-prefix')).toEqual([['subscription-token-in-ci', 'error', 9, 32]]);
    expect(construct('function-call-after-unset').routes.map((r) => [r.line, r.column, r.route])).toEqual([
      [12, 22, 'subscription-oauth-token'],
    ]);
  });

  it('what a trap’s code removes may happen before any later command: "maybe"', () => {
    expect(row('trap-err-unset')).toEqual(
      maybeGone('may be changed by line 12 (in a trap, run only when its signal comes)'),
    );
  });

  it('eval of printed text and a file only run time names are runs whose route run time decides', () => {
    expect(row('eval-printed-run')).toEqual({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['api-key', 'subscription-oauth-token'],
      verdict: 'warning: subscription-token-in-ci',
      reason:
        'the script evals `$(echo Y2xhdWRlIC1wIHJldmlldwo= | base64 -d)`, text only run time knows, which may start Claude; without that, the route would be api-key',
    });
    expect(row('source-computed-run')).toMatchObject({
      route: 'unknown',
      outcomes: ['subscription-oauth-token'],
      verdict: 'warning: subscription-token-in-ci',
    });
    expect(construct('source-computed-run').routes[0]).toMatchObject({ line: 11, column: 11 });
  });

  it('IFS: a value the script sets splits $run as bash does; one only run time knows makes the program run time’s', () => {
    expect(row('ifs-split-program')).toMatchObject({
      route: 'subscription-oauth-token',
      certainty: 'known',
      verdict: 'error: subscription-token-in-ci',
    });
    expect(row('ifs-computed-program')).toEqual({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['api-key', 'subscription-oauth-token'],
      verdict: 'warning: subscription-token-in-ci',
      reason:
        'IFS is set at line 12 to `$1`, a value only run time knows, so the words `$cmd` splits into, and the program it runs, are decided at run time, which may start Claude; without that, the route would be api-key',
    });
    // IFS for one `read`, and a trap that removes a file: the key bills, nothing warns.
    expect(row('ifs-innocent-read')).toEqual({
      route: 'api-key',
      certainty: 'known',
      outcomes: ['api-key'],
      verdict: 'ok',
      reason: null,
    });
  });
});
