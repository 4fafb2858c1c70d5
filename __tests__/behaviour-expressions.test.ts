/**
 * What a `${{ }}` value can put into a variable, as the engine reads it before deciding a route: which
 * secrets, inputs and env it names, which alternative wins at run time, and the expression text the
 * report quotes ("comes from the expression `...`").
 */
import { describe, expect, it } from '@jest/globals';
import { classify, type Classified, type Operand, type Reference } from '../src/workflow/expression.js';

const ref = (context: Reference['context'], name: string): Operand => ({
  kind: 'ref',
  ref: { context, name },
});
const choice = (...operands: Operand[]): Classified => ({ kind: 'choice', operands });
const complex = (
  text: string,
  refs: [Reference['context'], string][],
  flags: { conditional?: boolean; passThrough?: boolean; compared?: [Reference['context'], string][] } = {},
): Operand => ({
  kind: 'complex',
  refs: refs.map(([context, name]) => ({ context, name })),
  compared: (flags.compared ?? []).map(([context, name]) => ({ context, name })),
  text,
  conditional: flags.conditional ?? false,
  passThrough: flags.passThrough ?? false,
});

describe('a value that is one expression', () => {
  it.each<[string, string, Classified]>([
    [
      'a quote doubled inside a string is one quote',
      "${{ 'it''s' || secrets.A }}",
      choice({ kind: 'string', value: "it's" }, ref('secrets', 'A')),
    ],
    [
      'an index in quotes names the secret, spaces and all',
      "${{ secrets[ 'MY_KEY' ] }}",
      choice(ref('secrets', 'MY_KEY')),
    ],
    [
      'a step output read by index keeps the path after it',
      "${{ steps['build'].outputs.key }}",
      choice(ref('steps', 'build.outputs.key')),
    ],
    [
      'a secret indexed by a variable is chosen at run time',
      '${{ secrets[matrix.k] }}',
      choice(
        complex('secrets[matrix.k]', [
          ['secrets', '*'],
          ['matrix', 'k'],
        ]),
      ),
    ],
    [
      'a later quoted index is not taken for an earlier one',
      "${{ secrets[matrix.k] || env['B'] }}",
      choice(
        complex('secrets[matrix.k]', [
          ['secrets', '*'],
          ['matrix', 'k'],
        ]),
        ref('env', 'B'),
      ),
    ],
    [
      'github, steps and needs are contexts of their own',
      '${{ github.token || steps.auth.outputs.key || needs.setup.outputs.key }}',
      choice(ref('github', 'token'), ref('steps', 'auth.outputs.key'), ref('needs', 'setup.outputs.key')),
    ],
    ['an unknown context is still a reference', '${{ foo.bar }}', choice(ref('other', 'bar'))],
    [
      'a bare word or a dangling dot names nothing',
      '${{ true || secrets. }}',
      choice(complex('true', []), complex('secrets.', [])),
    ],
    [
      'comparisons keep their two-character operators and their numbers',
      "${{ github.run_attempt >= 2 && 0x1F == 31 && env.A != 'x' && secrets.B }}",
      choice(
        complex("github.run_attempt >= 2 && 0x1F == 31 && env.A != 'x' && secrets.B", [['secrets', 'B']], {
          conditional: true,
          compared: [
            ['github', 'run_attempt'],
            ['env', 'A'],
          ],
        }),
      ),
    ],
    [
      '<= is one operator, not the end of an alternative',
      '${{ env.A <= 1 || secrets.B }}',
      choice(complex('env.A <= 1', [], { compared: [['env', 'A']] }), ref('secrets', 'B')),
    ],
    [
      'a string is never a reference, even when it reads like one, and one it may yield is not shown',
      "${{ format('secrets.A {0}', env.B) }}",
      choice(complex("format('…', env.B)", [['env', 'B']], { passThrough: true })),
    ],
    [
      'a function passes on what it is given',
      '${{ toJSON(secrets.A) }}',
      choice(complex('toJSON(secrets.A)', [['secrets', 'A']], { passThrough: true })),
    ],
    [
      'only the known pass-through functions pass on',
      "${{ myformat('{0}', secrets.A) || trimmed(secrets.B) || format }}",
      choice(
        complex("myformat('{0}', secrets.A)", [['secrets', 'A']]),
        complex('trimmed(secrets.B)', [['secrets', 'B']]),
        complex('format', []),
      ),
    ],
    [
      '|| inside parentheses or brackets does not split the value',
      '${{ (secrets.A || secrets.B) && secrets.C || fromJSON(env.LIST)[env.I || 0] }}',
      choice(
        complex(
          '(secrets.A || secrets.B) && secrets.C',
          [
            ['secrets', 'A'],
            ['secrets', 'B'],
            ['secrets', 'C'],
          ],
          { conditional: true },
        ),
        complex('fromJSON(env.LIST)[env.I || 0]', [
          ['env', 'LIST'],
          ['env', 'I'],
        ]),
      ),
    ],
    [
      '|| inside a string does not split the value',
      "${{ env.A == '||' || secrets.B }}",
      choice(complex("env.A == '||'", [], { compared: [['env', 'A']] }), ref('secrets', 'B')),
    ],
    [
      'parentheses around an alternative are read through',
      '${{ ((secrets.A)) || (secrets.B) }}',
      choice(ref('secrets', 'A'), ref('secrets', 'B')),
    ],
    [
      'a condition before a function is still a condition',
      "${{ secrets.A && format('{0}', secrets.B) }}",
      choice(
        complex(
          "secrets.A && format('{0}', secrets.B)",
          [
            ['secrets', 'A'],
            ['secrets', 'B'],
          ],
          { conditional: true },
        ),
      ),
    ],
    ['spaces around the expression do not make it text', '  ${{ secrets.A }}  ', choice(ref('secrets', 'A'))],
    ['no spaces inside the braces', '${{secrets.A}}', choice(ref('secrets', 'A'))],
    ['an index ends the expression', "${{steps['a'].outputs.x}}", choice(ref('steps', 'a.outputs.x'))],
    ['a number ends the expression', '${{ secrets.A || 0}}', choice(ref('secrets', 'A'), complex('0', []))],
    [
      'a context other than secrets indexed at run time names no secret',
      '${{ env[matrix.k] }}',
      choice(complex('env[matrix.k]', [['matrix', 'k']])),
    ],
    [
      'a parenthesis inside a string does not hide the || after it',
      "${{ env.A == '(' || env.B == ')' || secrets.C }}",
      choice(
        complex("env.A == '('", [], { compared: [['env', 'A']] }),
        complex("env.B == ')'", [], { compared: [['env', 'B']] }),
        ref('secrets', 'C'),
      ),
    ],
    ['a quoted string with a dot is a string', "${{ 'x.y' }}", choice({ kind: 'string', value: 'x.y' })],
    [
      'a string compared with something is a condition, not that string',
      "${{ 'a' == env.X }}",
      choice(complex("'a' == env.X", [], { compared: [['env', 'X']] })),
    ],
    [
      '&& inside a string is no condition',
      "${{ env.SEP == '&&' || secrets.A }}",
      choice(complex("env.SEP == '&&'", [], { compared: [['env', 'SEP']] }), ref('secrets', 'A')),
    ],
    [
      'an empty alternative names nothing',
      '${{ secrets.A || }} ',
      choice(ref('secrets', 'A'), complex('', [])),
    ],
    ['empty parentheses are read through too', '${{ () }}', choice(complex('', []))],
    [
      'a secret that is only compared is not passed: the value is the other secret or nothing',
      "${{ secrets.CLAUDE_CODE_OAUTH_TOKEN == '' && secrets.ANTHROPIC_API_KEY || '' }}",
      choice(
        complex(
          "secrets.CLAUDE_CODE_OAUTH_TOKEN == '' && secrets.ANTHROPIC_API_KEY",
          [['secrets', 'ANTHROPIC_API_KEY']],
          { conditional: true, compared: [['secrets', 'CLAUDE_CODE_OAUTH_TOKEN']] },
        ),
        { kind: 'string', value: '' },
      ),
    ],
    [
      'a negation and a test by a function yield true or false, never what they read',
      "${{ !secrets.A && contains(github.event.pull_request.labels.*.name, 'ai') && secrets.B }}",
      choice(
        complex(
          "!secrets.A && contains(github.event.pull_request.labels.*.name, 'ai') && secrets.B",
          [['secrets', 'B']],
          {
            conditional: true,
            compared: [
              ['secrets', 'A'],
              ['github', 'event.pull_request.labels.*.name'],
            ],
          },
        ),
      ),
    ],
    [
      'a secret compared in parentheses and then passed is passed',
      "${{ (secrets.A != '') && (secrets.A) }}",
      choice(
        complex("(secrets.A != '') && (secrets.A)", [['secrets', 'A']], {
          conditional: true,
          compared: [['secrets', 'A']],
        }),
      ),
    ],
    [
      'a string an operand may yield is not shown, one it compares is',
      "${{ github.event_name == 'push' && 'sk-ant-api03-x' }}",
      choice(
        complex("github.event_name == 'push' && '…'", [], {
          conditional: true,
          compared: [['github', 'event_name']],
        }),
      ),
    ],
  ])('%s: %s', (_, value, expected) => {
    expect(classify(value)).toEqual(expected);
  });
});

describe('a value that mixes text and expressions', () => {
  it.each<[string, string, Classified]>([
    [
      'text before',
      'x${{ secrets.A }}',
      { kind: 'template', refs: [{ context: 'secrets', name: 'A' }], hasText: true },
    ],
    [
      'text after',
      '${{ secrets.A }}x',
      { kind: 'template', refs: [{ context: 'secrets', name: 'A' }], hasText: true },
    ],
    [
      'a brace left over after the expression',
      '${{ secrets.A }}}',
      { kind: 'template', refs: [{ context: 'secrets', name: 'A' }], hasText: true },
    ],
    [
      'braces in the text after an expression are text',
      '${{ secrets.A }} env.B }}',
      { kind: 'template', refs: [{ context: 'secrets', name: 'A' }], hasText: true },
    ],
    [
      'a string in a template names nothing',
      "key-${{ 'a' || secrets.B }}",
      { kind: 'template', refs: [{ context: 'secrets', name: 'B' }], hasText: true },
    ],
    [
      'two expressions back to back can both be empty',
      '${{ secrets.A }}${{ secrets.B }}',
      {
        kind: 'template',
        refs: [
          { context: 'secrets', name: 'A' },
          { context: 'secrets', name: 'B' },
        ],
        hasText: false,
      },
    ],
    [
      'a space between expressions is not text that makes the value set',
      '${{ secrets.A }} ${{ toJSON(env.B) }}',
      {
        kind: 'template',
        refs: [
          { context: 'secrets', name: 'A' },
          { context: 'env', name: 'B' },
        ],
        hasText: false,
      },
    ],
    [
      'every alternative of every expression is named',
      'Bearer ${{ secrets.A }} ${{ env.B || env.C }}',
      {
        kind: 'template',
        refs: [
          { context: 'secrets', name: 'A' },
          { context: 'env', name: 'B' },
          { context: 'env', name: 'C' },
        ],
        hasText: true,
      },
    ],
  ])('%s: %s', (_, value, expected) => {
    expect(classify(value)).toEqual(expected);
  });
});

describe('a value with no complete expression', () => {
  it.each<[string, string, Classified]>([
    ['only spaces is empty', '   ', { kind: 'empty' }],
    ['an unclosed expression is text', '${{ secrets.A }', { kind: 'literal', text: '${{ secrets.A }' }],
    [
      'a string that never closes swallows the closing braces',
      "${{ 'never closed }}",
      { kind: 'literal', text: "${{ 'never closed }}" },
    ],
  ])('%s: %s', (_, value, expected) => {
    expect(classify(value)).toEqual(expected);
  });
});
