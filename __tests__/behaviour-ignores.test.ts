/**
 * Inline ignores (`# claude-route-guard: ignore[rule] reason`) as people really write them: what they
 * suppress, where, and what the report says about the ones that suppress nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { readIgnores } from '../src/policy/ignores.js';
import { SourceFile } from '../src/workflow/source.js';
import { scanBehaviour } from './behaviour.js';

const findingsOf = (workflow: string): [string, number, number, number][] =>
  scanBehaviour(workflow).findings.map((f) => [f.rule, f.span.line, f.span.column, f.span.endColumn]);

describe('an inline ignore', () => {
  it('applies however the spaces around its parts are written, and a reason glued to the bracket counts', () => {
    // tight, loose and glued suppress their finding and give a reason (no ignore-without-reason);
    // what is left is the job whose ignore sits below its line.
    expect(findingsOf('ignores-spacing.yml').map(([rule, line]) => [rule, line])).toEqual([
      ['subscription-token-in-ci', 34],
      ['unused-ignore', 35],
    ]);
  });

  it('does not reach up: written under the line it means, it suppresses nothing and is reported unused', () => {
    expect(findingsOf('ignores-spacing.yml')).toEqual([
      ['subscription-token-in-ci', 34, 36, 74],
      // The whole comment, from its # to the end of the line.
      ['unused-ignore', 35, 11, 97],
    ]);
  });

  it('on the last line of a file with no final newline still applies', () => {
    expect(findingsOf('ignores-last-line.yml')).toEqual([]);
  });

  it('names its rules as the reader meant them when it matches nothing, spaces and empty slots dropped', () => {
    const findings = scanBehaviour('ignores-unused.yml').findings;
    expect(findingsOf('ignores-unused.yml')).toEqual([['unused-ignore', 10, 63, 149]]);
    expect(findings[0]!.message).toBe(
      'This ignore of unbounded-spend, shadowed-credential matches no finding on this line or the next; remove it.',
    );
  });

  it('keeps its reason without the spaces around it', () => {
    const source = new SourceFile(
      'w.yml',
      'on: push # claude-route-guard: ignore[unbounded-spend]   kept for later   \n',
    );
    expect(readIgnores(source).map((i) => [i.rules, i.reason])).toEqual([
      [['unbounded-spend'], 'kept for later'],
    ]);
  });
});

describe('a misspelt ignore', () => {
  const misspelt = (): [string, number, number, string][] =>
    scanBehaviour('ignores-misspelt.yml').findings.map((f) => [
      f.rule,
      f.span.line,
      f.span.column,
      f.message,
    ]);
  const SPELT =
    'This comment suppresses nothing: its prefix or `ignore` is misspelt; an ignore is spelt exactly `# claude-route-guard: ignore[unbounded-spend] reason`.';
  const SPEND = (job: string): string =>
    `Job \`${job}\` runs claude -p with no limit (no \`timeout-minutes\` on the job or step, no \`--max-turns\` or \`--max-budget-usd\`), so a loop keeps billing until GitHub’s 6-hour job limit. Add \`timeout-minutes: 30\` to the job or to this step, or \`--max-turns 20\` or \`--max-budget-usd 5\` to the Claude arguments.`;

  it('gets a malformed-ignore notice on its # for a swapped prefix, a swapped `ignore` or run-together words, and suppresses nothing', () => {
    expect(misspelt().slice(0, 6)).toEqual([
      // `claude-route-gaurd: ignore[unbounded-spend] r`
      ['malformed-ignore', 6, 7, SPELT],
      ['unbounded-spend', 7, 14, SPEND('gaurd')],
      // `claude-route-guard: ingore[unbounded-spend] r`, at the end of the run line
      ['unbounded-spend', 13, 14, SPEND('ingore')],
      ['malformed-ignore', 13, 33, SPELT],
      // `ClaudeRouteGuard ignroe unbounded-spend`: the rule id is read from the word after it
      ['malformed-ignore', 19, 7, SPELT],
      ['unbounded-spend', 20, 14, SPEND('run-together')],
    ]);
  });

  it('leaves alone ordinary comments that mention the tool: "ignores", another word, no ignore at all', () => {
    // The `prose` job (lines 23-31) has a limit: nothing there is reported.
    expect(misspelt().filter(([, line]) => line >= 23 && line <= 31)).toEqual([]);
  });

  it('with empty brackets gets one notice, not a second one about an ignore of nothing', () => {
    expect(misspelt().slice(6)).toEqual([
      [
        'malformed-ignore',
        35,
        7,
        'This ignore names no rule between its brackets, so it suppresses nothing.',
      ],
      ['unbounded-spend', 36, 14, SPEND('empty-brackets')],
    ]);
  });
});
