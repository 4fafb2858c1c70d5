/**
 * A project settings file the scan refuses to read (a symbolic link, here to a file inside the repository
 * and to one outside it) is still read by Claude Code: the route is left to run time, with the
 * subscription among its outcomes, never the reading without the file. Links are made here, not committed.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cli, workspace } from './hostile-pr.js';

const WORKFLOW = [
  'on: push',
  'jobs:',
  '  agent:',
  '    runs-on: ubuntu-latest',
  '    timeout-minutes: 10',
  '    env:',
  '      CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}',
  '    steps:',
  '      - run: claude -p "review" --max-turns 3',
  '',
].join('\n');

function routesAndFindings(ws: string): unknown {
  const run = cli(ws, ['--format', 'json', '--fail-on', 'never']);
  const report = JSON.parse(run.stdout) as {
    routes: { route: string; certainty: string; outcomes: string[]; reason?: string; verdict: string }[];
    findings: { rule: string; severity: string; line: number; column: number }[];
  };
  return {
    routes: report.routes.map((r) => [r.route, r.certainty, r.outcomes, r.reason, r.verdict]),
    findings: report.findings.map((f) => [f.rule, f.severity, f.line, f.column]),
  };
}

/** The whole answer when `path` is refused: unknown, the token among the outcomes, a warning. */
function refused(path: string): unknown {
  const reason = `\`${path}\` is a symbolic link or a file the scan does not read, which Claude Code reads, and its env or apiKeyHelper may set the route; without that, the route would be subscription-oauth-token`;
  return {
    routes: [
      ['unknown', 'unknown', ['subscription-oauth-token'], reason, 'warning: subscription-token-in-ci'],
    ],
    findings: [['subscription-token-in-ci', 'warning', 7, 32]],
  };
}

describe('a linked project settings file', () => {
  for (const [name, target] of [
    ['inside the repository', 'ci/helper.json'],
    ['outside it', '../outside.json'],
  ] as const) {
    it(`linked to a file ${name} is unknown, with the subscription among the outcomes`, () => {
      const ws = workspace({}, { '.github/workflows/agent.yml': WORKFLOW, 'ci/helper.json': '{}\n' });
      writeFileSync(join(dirname(ws), 'outside.json'), '{ "apiKeyHelper": "echo key" }\n');
      mkdirSync(join(ws, '.claude'));
      symlinkSync(join('..', target), join(ws, '.claude', 'settings.json'));
      expect(routesAndFindings(ws)).toEqual(refused('.claude/settings.json'));
    });
  }

  it('a linked .claude folder is refused the same way, even when its link leads nowhere', () => {
    const ws = workspace({}, { '.github/workflows/agent.yml': WORKFLOW });
    symlinkSync(join(dirname(ws), 'missing'), join(ws, '.claude'));
    // settings.local.json is looked for first: it outranks settings.json.
    expect(routesAndFindings(ws)).toEqual(refused('.claude/settings.local.json'));
  });

  it('with no settings file at all, the token is the route the files fix', () => {
    const ws = workspace({}, { '.github/workflows/agent.yml': WORKFLOW });
    expect(routesAndFindings(ws)).toEqual({
      routes: [
        [
          'subscription-oauth-token',
          'known',
          ['subscription-oauth-token'],
          null,
          'error: subscription-token-in-ci',
        ],
      ],
      findings: [['subscription-token-in-ci', 'error', 7, 32]],
    });
  });
});
