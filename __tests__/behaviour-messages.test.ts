/**
 * The fix a finding's message gives, as a user reads it: it fits how the run starts Claude Code and which
 * credential slot the workflow filled.
 */
import { describe, expect, it } from '@jest/globals';
import { scanBehaviour } from './behaviour.js';

const NO_ROUTE = (job: string, label: string): string =>
  `Job \`${job}\` runs Claude Code headlessly (${label}) with no API-side credential, so it will use a stored subscription login or fail. `;
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
