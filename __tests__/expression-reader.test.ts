/**
 * The one reader of `${{ }}` expressions: the tree the evaluator evaluates and the shape reading walks,
 * with where each node is written, and what it does with text GitHub's grammar refuses.
 */
import { describe, expect, it } from '@jest/globals';
import { readExpression } from '../src/workflow/expression-reader.js';
import { parseGithubExpression } from '../src/workflow/evaluate.js';
import { classify, conditionParts } from '../src/workflow/expression.js';
import type { Value } from '../src/workflow/model.js';
import { conditionTruth, conditionWords, type Resolved } from '../src/workflow/values.js';

const span = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const condition = (text: string): Value => ({ text, span, scalar: true, spanAt: () => span });

describe('the expression reader', () => {
  it('gives each node the place it is written, its parentheses apart', () => {
    const expr = "(inputs.a == 'x') && secrets.K";
    expect(readExpression(expr)).toEqual({
      clean: true,
      ast: {
        kind: 'binary',
        op: '&&',
        start: 0,
        end: 30,
        left: {
          kind: 'binary',
          op: '==',
          start: 0,
          end: 17,
          parens: { count: 1, start: 1, end: 16 },
          left: { kind: 'path', root: 'inputs', parts: ['a'], start: 1, end: 9 },
          right: { kind: 'literal', value: 'x', start: 13, end: 16 },
        },
        right: { kind: 'path', root: 'secrets', parts: ['K'], start: 21, end: 30 },
      },
    });
    expect(expr.slice(1, 16)).toBe("inputs.a == 'x'");
  });

  it('keeps what the grammar refuses as an unread node, which the evaluator gives up on', () => {
    expect(readExpression('secrets.A ||  ')).toEqual({
      clean: false,
      ast: {
        kind: 'binary',
        op: '||',
        start: 0,
        end: 14,
        left: { kind: 'path', root: 'secrets', parts: ['A'], start: 0, end: 9 },
        right: { kind: 'unread', parts: [], start: 14, end: 14 },
      },
    });
    expect(parseGithubExpression('secrets.A ||  ')).toBeUndefined();
    // Operands with no operator between them: one unread node holding both.
    expect(readExpression('secrets.A secrets.B')).toEqual({
      clean: false,
      ast: {
        kind: 'unread',
        start: 0,
        end: 19,
        parts: [
          { kind: 'path', root: 'secrets', parts: ['A'], start: 0, end: 9 },
          { kind: 'path', root: 'secrets', parts: ['B'], start: 10, end: 19 },
        ],
      },
    });
  });

  it('lets the shape reading name what an expression the evaluator refuses reads', () => {
    expect(classify('${{ secrets.A secrets.B || secrets.C }}')).toEqual({
      kind: 'choice',
      operands: [
        {
          kind: 'complex',
          refs: [
            { context: 'secrets', name: 'A' },
            { context: 'secrets', name: 'B' },
          ],
          compared: [],
          text: 'secrets.A secrets.B',
          conditional: false,
          passThrough: false,
        },
        { kind: 'ref', ref: { context: 'secrets', name: 'C' } },
      ],
    });
  });

  it('reads nesting past what it follows through the parentheses around the whole', () => {
    const deep = '('.repeat(300) + 'secrets.KEY' + ')'.repeat(300);
    expect(classify(`\${{ ${deep} }}`)).toEqual({
      kind: 'choice',
      operands: [{ kind: 'ref', ref: { context: 'secrets', name: 'KEY' } }],
    });
    expect(parseGithubExpression(deep)).toBeUndefined();
  });

  it('splits a condition at && as the text reads, and at || by precedence', () => {
    const condition = "${{ github.event_name == 'push' && (github.actor == 'a' || github.actor == 'b') }}";
    expect(conditionParts(condition, '&&')).toEqual([
      "github.event_name == 'push'",
      "github.actor == 'a' || github.actor == 'b'",
    ]);
    expect(conditionParts("a == 'x' && b || c", '||')).toEqual(["a == 'x' && b", 'c']);
  });
});

describe("a step's if:, read once", () => {
  const off: Resolved = {
    presence: 'set',
    form: 'literal',
    literal: 'false',
    secrets: [],
    vars: [],
    inputs: [],
    file: 'f',
    span,
  };
  const scope = { file: 'f', env: new Map(), inputs: new Map([['on', off]]) };

  it('answers always, never or maybe, and quotes the expression inside ${{ }}', () => {
    const read = (text: string): [string, string, string] => [
      conditionTruth(condition(text), scope),
      conditionTruth(condition(text)),
      conditionWords(condition(text)),
    ];
    expect(read('')).toEqual(['always', 'always', '']);
    expect(read('${{ always() }}')).toEqual(['always', 'always', 'always()']);
    expect(read('!cancelled()')).toEqual(['always', 'always', '!cancelled()']);
    expect(read("${{ inputs.on == 'true' }}")).toEqual(['never', 'maybe', "inputs.on == 'true'"]);
    expect(read("${{ github.event_name == 'push' }}")).toEqual([
      'maybe',
      'maybe',
      "github.event_name == 'push'",
    ]);
    expect(read('${{ false }} text')).toEqual(['maybe', 'maybe', '${{ false }} text']);
  });
});
