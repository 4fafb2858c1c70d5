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
