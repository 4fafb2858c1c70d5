import { describe, expect, it } from '@jest/globals';
import type { Reference } from '../src/workflow/expression.js';
import {
  evaluate,
  MAX_DEPTH,
  MAX_EXPRESSION_LENGTH,
  MAX_STEPS,
  newStepBudget,
  parseGithubExpression,
  type Lookup,
  type Outcome,
} from '../src/workflow/evaluate.js';
import { readMatrix } from '../src/workflow/matrix.js';
import { resolveText, type Resolved, type Scope } from '../src/workflow/values.js';
import { takeWork } from '../src/meter.js';
import { parseDocument, type Node } from 'yaml';

const span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** inputs the files fix; every other reference is unknown (a string for secrets, anything for github). */
function lookupOf(inputs: Record<string, string>): Lookup {
  return (ref: Reference): Outcome[] => {
    if (ref.context === 'inputs' && ref.name in inputs)
      return [{ known: true, value: inputs[ref.name]!, from: ref }];
    return [{ known: false, type: ref.context === 'github' ? 'any' : 'string', ref }];
  };
}

function values(expr: string, inputs: Record<string, string> = {}): unknown {
  const ast = parseGithubExpression(expr);
  if (!ast) return 'not parsed';
  const out = evaluate(ast, lookupOf(inputs));
  return out?.map((o) => (o.known ? o.value : `?${o.type}${o.ref ? ` ${o.ref.context}.${o.ref.name}` : ''}`));
}

describe("GitHub's expression semantics", () => {
  it('compares strings ignoring case, and values of different kinds as numbers', () => {
    expect(values("'ABC' == 'abc'")).toEqual([true]);
    expect(values("'abc' != 'abd'")).toEqual([true]);
    expect(values("1 == '1'")).toEqual([true]);
    expect(values("true == '1'")).toEqual([true]);
    expect(values("true == 'true'")).toEqual([false]);
    expect(values("null == ''")).toEqual([true]);
    expect(values("'' == 0")).toEqual([true]);
    expect(values("'abc' == 0")).toEqual([false]);
    expect(values('0x10 == 16')).toEqual([true]);
    expect(values("'2' < '10'")).toEqual([false]);
    expect(values("2 < '10'")).toEqual([true]);
    expect(values('-1 < 0')).toEqual([true]);
    expect(values("fromJSON('[1]') == fromJSON('[1]')")).toEqual([false]);
  });

  it('makes && and || return an operand, and ! a boolean', () => {
    expect(values("inputs.x == 'true' && '1' || ''", { x: 'false' })).toEqual(['']);
    expect(values("inputs.x == 'true' && '1' || ''", { x: 'TRUE' })).toEqual(['1']);
    expect(values("'a' && 'b'")).toEqual(['b']);
    expect(values("'' || 0 || 'c'")).toEqual(['c']);
    expect(values("0 && 'b'")).toEqual([0]);
    expect(values("!''")).toEqual([true]);
    expect(values('!(1 == 1)')).toEqual([false]);
    expect(values("!!'x'")).toEqual([true]);
  });

  it('gives every value an expression over unknown values can take', () => {
    expect(values("github.event_name == 'push' && '1' || ''")).toEqual(['1', '']);
    expect(values("secrets.FLAG && '1' || ''")).toEqual(['1', '']);
    // A string is falsy only when empty: `secrets.KEY || ''` is the secret's own value.
    expect(values("secrets.KEY || ''")).toEqual(['?string secrets.KEY']);
    expect(values("inputs.on == 'true' && secrets.KEY || ''", { on: 'true' })).toEqual([
      '?string secrets.KEY',
    ]);
    expect(values("inputs.on == 'true' && secrets.KEY || ''", { on: 'no' })).toEqual(['']);
    expect(values("github.ref == 'x' && secrets.KEY || ''")).toEqual(['?string secrets.KEY', '']);
    expect(values('secrets.A || secrets.B')).toEqual(['?string secrets.A', '?string secrets.B']);
    expect(values("github.event.x || 'd'")).toEqual(['?any github.event.x', 'd']);
  });

  it('evaluates format, contains, startsWith, endsWith, fromJSON, toJSON and join', () => {
    expect(values("format('{0}-{1}', 'a', 2)")).toEqual(['a-2']);
    expect(values("format('{{0}} {0}', 'x')")).toEqual(['{0} x']);
    expect(values("format('{0}', secrets.X)")).toEqual(['?string']);
    expect(values("format('', secrets.X)")).toEqual(['']);
    expect(values("format('{{1}} {0}', 'a', secrets.X)")).toEqual(['{1} a']);
    expect(values("format('{1}', 'a', secrets.X)")).toEqual(['?string']);
    expect(values("join(fromJSON('[]'), secrets.X)")).toEqual(['']);
    expect(values('join(fromJSON(\'["a"]\'), secrets.X)')).toEqual(['a']);
    expect(values("join('abc', secrets.X)")).toEqual(['abc']);
    expect(values("join(fromJSON('[1, 2]'), secrets.X)")).toEqual(['?string']);
    expect(values('join(secrets.X, secrets.Y)')).toEqual(['?string']);
    expect(values("contains('Hello', 'ELL')")).toEqual([true]);
    expect(values('contains(fromJSON(\'["a", "B"]\'), \'b\')')).toEqual([true]);
    expect(values("startsWith('Bedrock', 'bed')")).toEqual([true]);
    expect(values("endsWith('Bedrock', 'ROCK')")).toEqual([true]);
    expect(values('fromJSON(\'{"on": true}\').on')).toEqual([true]);
    expect(values('fromJSON(\'["a", "b"]\')[1]')).toEqual(['b']);
    expect(values("fromJSON('true') && '1'")).toEqual(['1']);
    expect(values("toJSON('a')")).toEqual(['"a"']);
    expect(values("join(fromJSON('[1, 2]'), '+')")).toEqual(['1+2']);
    expect(values('fromJSON(secrets.X)')).toEqual(['?any']);
    expect(values("inputs['use_bedrock']", { use_bedrock: 'true' })).toEqual(['true']);
  });

  it('does not evaluate what is not an expression of GitHub', () => {
    expect(values("'unclosed")).toBe('not parsed');
    expect(values('a ==')).toBe('not parsed');
    expect(values('(a')).toBe('not parsed');
    expect(values('a ; b')).toBe('not parsed');
    expect(values('')).toBe('not parsed');
    // A function GitHub does not have, or the wrong number of arguments: not a value the files fix.
    expect(values('format()')).toBeUndefined();
    expect(values("hashFiles('x')")).toEqual(['?any']);
    expect(values("format('{1}', 'a')")).toBeUndefined();
    expect(values("fromJSON('{')")).toBeUndefined();
  });
});

describe('bounded work on hostile expressions', () => {
  it('refuses deep nesting without a crash', () => {
    const deep = '('.repeat(MAX_DEPTH + 1) + '1' + ')'.repeat(MAX_DEPTH + 1);
    expect(parseGithubExpression(deep)).toBeUndefined();
    expect(parseGithubExpression('!'.repeat(MAX_DEPTH + 1) + '1')).toBeUndefined();
    expect(parseGithubExpression('('.repeat(100000))).toBeUndefined();
    const shallow = '('.repeat(MAX_DEPTH - 1) + '1' + ')'.repeat(MAX_DEPTH - 1);
    // The tree says where it is written: the literal at 47, inside 47 pairs of parentheses from 0 to 95.
    expect(parseGithubExpression(shallow)).toEqual({
      kind: 'literal',
      value: 1,
      start: 0,
      end: 95,
      parens: { count: MAX_DEPTH - 1, start: 47, end: 48 },
    });
  });

  it('refuses a text over its length, and long flat chains, without reading them', () => {
    expect(parseGithubExpression(`'${'a'.repeat(MAX_EXPRESSION_LENGTH)}'`)).toBeUndefined();
    expect(parseGithubExpression(Array(1500).fill('a.b').join(' || '))).toBeUndefined();
  });

  it('bounds the strings format builds and the work of many unknowns, counting each step', () => {
    takeWork();
    let doubling = "'x'";
    for (let i = 0; i < 24; i++) doubling = `format('{0}{0}', ${doubling})`;
    const ast = parseGithubExpression(doubling)!;
    expect(evaluate(ast, lookupOf({}))).toBeUndefined();
    // Six choices of two values each: 64 texts, past the values one expression may take.
    const wide = `format('{0}{1}{2}{3}{4}{5}', ${Array(6)
      .fill(0)
      .map((_, i) => `(github.a${i} == 'x' && 'a${i}' || 'b${i}')`)
      .join(', ')})`;
    expect(evaluate(parseGithubExpression(wide)!, lookupOf({}))).toBeUndefined();
    const budget = newStepBudget();
    for (let i = 0; i < 1000; i++)
      evaluate(parseGithubExpression("inputs.x == 'true' && '1' || ''")!, lookupOf({}), budget);
    expect(budget.left).toBeLessThan(0);
    // Every step counted, and never more than the budget of each value plus the step that ends it.
    const steps = takeWork().expressionSteps;
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThanOrEqual(3 * (MAX_STEPS + 1));
  });

  it('reads a value past its bounds by its shape, naming its secret', () => {
    const deep = '${{ ' + '('.repeat(MAX_DEPTH + 1) + 'secrets.KEY' + ')'.repeat(MAX_DEPTH + 1) + ' }}';
    const r = resolveText(deep, { file: 'f', env: new Map() }, 'f', span);
    expect(r.secrets).toEqual(['KEY']);
  });
});

function scopeWith(inputs: Record<string, string>, matrixYaml?: string): Scope {
  const given = new Map<string, Resolved>(
    Object.entries(inputs).map(([k, v]) => [
      k,
      v === ''
        ? { presence: 'empty', form: 'empty', secrets: [], vars: [], inputs: [], file: 'f', span }
        : {
            presence: 'set',
            form: 'literal',
            literal: v,
            secrets: [],
            vars: [],
            inputs: [],
            file: 'f',
            span,
          },
    ]),
  );
  const scope: Scope = { file: 'f', env: new Map(), inputs: given };
  if (matrixYaml) {
    const doc = parseDocument(matrixYaml);
    scope.matrix = readMatrix(doc.contents as Node, (n) => n as Node);
  }
  return scope;
}

describe('values the files fix, as a variable receives them', () => {
  const switchOf = "${{ inputs.use_bedrock == 'true' && '1' || '' }}";

  it('is off with the default "false", on when the caller passes "true", run time when it passes a secret', () => {
    const off = resolveText(switchOf, scopeWith({ use_bedrock: 'false' }), 'f', span);
    expect(off).toMatchObject({
      presence: 'empty',
      form: 'empty',
      why: 'is empty with the values the files give inputs',
    });
    const on = resolveText(switchOf, scopeWith({ use_bedrock: 'true' }), 'f', span);
    expect(on).toMatchObject({ presence: 'set', form: 'literal', literal: '1' });
    const secret: Scope = {
      file: 'f',
      env: new Map(),
      inputs: new Map([
        [
          'use_bedrock',
          { presence: 'set', form: 'secret', secrets: ['B'], vars: [], inputs: [], file: 'c', span },
        ],
      ]),
    };
    const unknown = resolveText(switchOf, secret, 'f', span);
    expect(unknown).toMatchObject({ presence: 'maybe', form: 'expression', possible: ['1', ''] });
  });

  it("keeps a passed reference's own value, and joins a template the files fix", () => {
    const scope = scopeWith({ host: 'gw.example.com' });
    expect(resolveText('${{ inputs.host }}', scope, 'g', span).file).toBe('f');
    expect(resolveText('https://${{ inputs.host }}/v1', scope, 'g', span)).toMatchObject({
      form: 'literal',
      literal: 'https://gw.example.com/v1',
    });
    expect(resolveText('Bearer ${{ secrets.T }}', scope, 'g', span)).toMatchObject({
      secrets: ['T'],
      presence: 'set',
    });
  });

  it('evaluates each combination of the matrix, with include and exclude', () => {
    const matrix = 'provider: [bedrock, anthropic]\nnode: [18, 20]\nexclude:\n  - provider: anthropic\n';
    const bedrock = resolveText(
      "${{ matrix.provider == 'bedrock' && '1' || '' }}",
      scopeWith({}, matrix),
      'f',
      span,
    );
    expect(bedrock).toMatchObject({ literal: '1' });
    const each = resolveText(
      "${{ matrix.provider == 'bedrock' && '1' || '' }}",
      scopeWith({}, 'provider: [bedrock, x]'),
      'f',
      span,
    );
    expect(each).toMatchObject({ presence: 'maybe', possible: ['1', ''] });
    const included = scopeWith(
      {},
      'os: [a, b]\ninclude:\n  - os: a\n    cfg: {on: 1}\n  - os: c\n    cfg: {on: 0}\n',
    );
    expect(resolveText('${{ matrix.cfg.on }}', included, 'f', span).possible).toEqual(['1', '', '0']);
    const unfixed = scopeWith({}, 'provider: ${{ fromJSON(needs.a.outputs.p) }}');
    expect(unfixed.matrix).toBe('unknown');
    expect(resolveText("${{ matrix.provider == 'b' && '1' || '' }}", unfixed, 'f', span).presence).toBe(
      'maybe',
    );
  });
});
