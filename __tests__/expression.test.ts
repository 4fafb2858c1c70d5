import { describe, expect, it } from '@jest/globals';
import { classify } from '../src/workflow/expression.js';
import { resolveText } from '../src/workflow/values.js';

const span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

describe('expressions', () => {
  it('reads a || chain of secrets as two secrets', () => {
    const c = classify('${{ secrets.A || secrets.B }}');
    expect(c).toEqual({
      kind: 'choice',
      operands: [
        { kind: 'ref', ref: { context: 'secrets', name: 'A' } },
        { kind: 'ref', ref: { context: 'secrets', name: 'B' } },
      ],
    });
    const r = resolveText('${{ secrets.A || secrets.B }}', { file: 'f', env: new Map() }, 'f', span);
    expect(r.secrets).toEqual(['A', 'B']);
    expect(r.presence).toBe('set');
  });

  it('tells literal, empty, vars and template values apart', () => {
    expect(classify('')).toEqual({ kind: 'empty' });
    expect(classify('sk-ant-x')).toEqual({ kind: 'literal', text: 'sk-ant-x' });
    expect(resolveText('${{ vars.KEY }}', { file: 'f', env: new Map() }, 'f', span).form).toBe('vars');
    expect(classify('Bearer ${{ secrets.T }}')).toEqual({
      kind: 'template',
      refs: [{ context: 'secrets', name: 'T' }],
      hasText: true,
    });
    expect(classify("${{ secrets['MY_KEY'] }}")).toEqual({
      kind: 'choice',
      operands: [{ kind: 'ref', ref: { context: 'secrets', name: 'MY_KEY' } }],
    });
  });

  it('falls through empty operands like GitHub does', () => {
    const r = resolveText(
      "${{ inputs.key || '' }}",
      { file: 'f', env: new Map(), inputs: new Map() },
      'f',
      span,
    );
    expect(r.presence).toBe('empty');
    const unknown = resolveText('${{ matrix.key }}', { file: 'f', env: new Map() }, 'f', span);
    expect(unknown.presence).toBe('maybe');
    expect(unknown.why).toContain('matrix.key');
  });

  it('keeps }} inside string literals', () => {
    const c = classify("${{ format('{0}}}', secrets.X) }}");
    expect(c.kind).toBe('choice');
  });
});
