/**
 * The fix a finding's message gives, as a user reads it: it fits how the run starts Claude Code and which
 * credential slot the workflow filled.
 */
import { describe, expect, it } from '@jest/globals';
import { scanBehaviour } from './behaviour.js';

const NO_ROUTE = (job: string, label: string): string =>
  `Job \`${job}\` runs Claude Code headlessly (${label}) with no API-side credential, so it fails: a GitHub-hosted runner has no stored login to fall back on. `;
const KEY = 'Set `ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}` in the step env';

describe('a headless run with no API-side credential', () => {
  const headless = (): [number, number, string][] =>
    scanBehaviour('headless-advice.yml')
      .findings.filter((f) => f.rule === 'headless-without-api-route')
      .map((f) => [f.span.line, f.span.column, f.message]);

  it('started with npx is told to add --bare to the same package, not to run `claude -p --bare`', () => {
    expect(headless()[0]).toEqual([
      8,
      14,
      NO_ROUTE('npx', 'npx @anthropic-ai/claude-code@latest -p') +
        `${KEY} and add \`--bare\` to \`npx @anthropic-ai/claude-code@latest\` so no login is read.`,
    ]);
  });

  it('in an Agent SDK script is told to set the key in the step env, with no CLI flag', () => {
    expect(headless()[1]).toEqual([
      14,
      14,
      NO_ROUTE('sdk', 'Agent SDK via `python`') + `${KEY}; the Agent SDK uses it ahead of any stored login.`,
    ]);
  });

  it('in the official action is told to pass its anthropic_api_key input; `claude -p` is told `claude -p --bare`', () => {
    expect(headless().slice(2)).toEqual([
      [
        19,
        15,
        NO_ROUTE('action', 'anthropics/claude-code-action@v1') +
          'Pass `anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}` (or a cloud provider or workload identity).',
      ],
      [26, 14, NO_ROUTE('cli', 'claude -p') + `${KEY} and run \`claude -p --bare\` so no login is read.`],
    ]);
  });
});

describe('a secret named for an OAuth token in an API-key slot', () => {
  const scanned = () => scanBehaviour('oauth-as-key.yml');
  const slotted = (): [number, number, string, string][] =>
    scanned()
      .findings.filter((f) => f.rule === 'misnamed-credential-input')
      .map((f) => [f.span.line, f.span.column, f.severity, f.message]);
  const REJECTED =
    'an API-key slot, but its name says it holds a subscription OAuth token, which the API rejects as an invalid key: the run fails, or another credential answers. ';

  it('in ANTHROPIC_API_KEY is a warning on the value, saying the run fails and how to pass it', () => {
    expect(slotted()[0]).toEqual([
      10,
      30,
      'warning',
      'Job `env-key` passes secrets.CLAUDE_CODE_OAUTH_TOKEN to claude -p as `ANTHROPIC_API_KEY`, ' +
        REJECTED +
        "Pass the OAuth token as `CLAUDE_CODE_OAUTH_TOKEN` instead (a person's plan then pays), or store a Console API key in this secret.",
    ]);
  });

  it("in the official action's anthropic_api_key input points to its claude_code_oauth_token input", () => {
    expect(slotted()[1]).toEqual([
      17,
      30,
      'warning',
      'Job `action-input` passes secrets.CLAUDE_OAUTH_TOKEN to anthropics/claude-code-action@v1 as the `anthropic_api_key` input, ' +
        REJECTED +
        "Pass the OAuth token as the `claude_code_oauth_token` input instead (a person's plan then pays), or store a Console API key in this secret.",
    ]);
  });

  it("fed by a caller to a reusable workflow's key is reported where the caller passes it", () => {
    expect(slotted().slice(2, 3)).toEqual([
      [
        21,
        26,
        'warning',
        'Job `caller` passes secrets.MAX_PLAN_OAUTH to ./.github/workflows/oauth-as-key-callee.yml → claude -p as `ANTHROPIC_API_KEY`, ' +
          REJECTED +
          "Pass the OAuth token as `CLAUDE_CODE_OAUTH_TOKEN` instead (a person's plan then pays), or store a Console API key in this secret.",
      ],
    ]);
  });

  it('set once for a job is reported once, on the value, though two runs read it', () => {
    expect(
      slotted()
        .slice(3)
        .map(([line, column]) => [line, column]),
    ).toEqual([[40, 26]]);
  });

  it('makes those runs a warning, and leaves the token in its own slot and a Console key alone', () => {
    expect(scanned().routes.map((r) => [r.job, r.verdict])).toEqual([
      ['env-key', 'warning: misnamed-credential-input'],
      ['action-input', 'warning: misnamed-credential-input'],
      ['caller', 'warning: misnamed-credential-input'],
      ['right-slot', 'error: subscription-token-in-ci'],
      ['console-key', 'ok'],
      ['job-env', 'warning: misnamed-credential-input'],
      ['job-env', 'warning: misnamed-credential-input'],
    ]);
  });
});
