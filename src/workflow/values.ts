import type { Level, Presence, Span } from '../types.js';
import { classify, type Classified, type Operand, type Reference } from './expression.js';
import type { Value } from './model.js';

/** A value as Claude Code will see it, and where it was written. */
export interface Resolved {
  presence: Presence;
  form: 'secret' | 'vars' | 'literal' | 'empty' | 'expression' | 'input';
  secrets: string[];
  vars: string[];
  inputs: string[];
  /** Literal text: read for switches and endpoints, never printed for a credential. */
  literal?: string;
  why?: string;
  file: string;
  span: Span;
}

/** One variable reaching Claude, at one level. */
export interface Binding {
  variable: string;
  level: Level;
  value: Resolved;
  file: string;
  /** The key (`ANTHROPIC_API_KEY:`) or the word that sets it. */
  keySpan: Span;
}

export interface Scope {
  file: string;
  /** Values of `inputs.*`: given by the caller, or undefined when the caller is not known. */
  inputs?: Map<string, Resolved>;
  /** Names of declared inputs when the caller is unknown (a composite action or reusable workflow alone). */
  declaredInputs?: Map<string, Resolved | undefined>;
  /** What a reusable workflow's caller passes: `inherit`, or a map; undefined for the repository's own secrets. */
  secrets?: 'inherit' | Map<string, Resolved>;
  /** Secrets a call-only reusable workflow declares, read on its own: the caller decides them, like inputs. */
  callerSecrets?: Set<string>;
  env: ReadonlyMap<string, Binding>;
}

export function emptyValue(file: string, span: Span): Resolved {
  return { presence: 'empty', form: 'empty', secrets: [], vars: [], inputs: [], file, span };
}

function base(file: string, span: Span, presence: Presence, form: Resolved['form']): Resolved {
  return { presence, form, secrets: [], vars: [], inputs: [], file, span };
}

/** A value that names secrets: reports name it by them (describeSource), never by its form. */
function secretValue(file: string, span: Span, presence: Presence, secrets: string[]): Resolved {
  // Stryker disable next-line StringLiteral: no report or route reads the form of a value that names secrets
  return { ...base(file, span, presence, 'secret'), secrets };
}

function resolveReference(ref: Reference, scope: Scope, file: string, span: Span): Resolved {
  switch (ref.context) {
    case 'secrets': {
      if (ref.name === '*') {
        return {
          ...secretValue(file, span, 'maybe', ['*']),
          why: 'is a secret whose name is chosen at run time (`secrets[...]`)',
        };
      }
      // Only a workflow read without a caller has callerSecrets, so no caller's `secrets:` is in scope.
      if (scope.callerSecrets?.has(ref.name)) {
        return {
          ...base(file, span, 'maybe', 'input'),
          secrets: [ref.name],
          why: `comes from secret ${ref.name}, which the caller passes`,
        };
      }
      if (ref.name === 'GITHUB_TOKEN' || scope.secrets === undefined || scope.secrets === 'inherit') {
        return secretValue(file, span, 'set', [ref.name]);
      }
      const passed = scope.secrets.get(ref.name);
      if (passed) return passed;
      return {
        ...emptyValue(file, span),
        secrets: [ref.name],
        why: `secret ${ref.name} is not passed by the caller, so it is empty`,
      };
    }
    case 'vars':
      return { ...base(file, span, 'set', 'vars'), vars: [ref.name] };
    case 'inputs': {
      const given = scope.inputs?.get(ref.name);
      if (given) return given;
      if (scope.inputs) return emptyValue(file, span);
      const declared = scope.declaredInputs?.get(ref.name);
      if (declared && declared.presence !== 'empty') return declared;
      return {
        ...base(file, span, 'maybe', 'input'),
        inputs: [ref.name],
        why: `comes from input \`${ref.name}\`, which the caller decides`,
      };
    }
    case 'env': {
      const bound = scope.env.get(ref.name);
      return bound ? bound.value : emptyValue(file, span);
    }
    default:
      return {
        ...base(file, span, 'maybe', 'expression'),
        why: `comes from \`${ref.context}.${ref.name}\`, decided at run time`,
      };
  }
}

function resolveOperand(op: Operand, scope: Scope, file: string, span: Span): Resolved {
  if (op.kind === 'ref') return resolveReference(op.ref, scope, file, span);
  if (op.kind === 'string') {
    return op.value === ''
      ? emptyValue(file, span)
      : { ...base(file, span, 'set', 'literal'), literal: op.value };
  }
  const parts = op.refs.map((r) => resolveReference(r, scope, file, span));
  const carried = parts.filter((p) => p.presence !== 'empty' && (p.secrets.length > 0 || p.form === 'input'));
  // A secret wrapped in a no-op function is still that secret.
  if (op.passThrough && !op.conditional && carried.length > 0) {
    const presence = carried.some((p) => p.presence === 'set') ? 'set' : 'maybe';
    return {
      ...carried[0]!,
      presence,
      secrets: parts.flatMap((p) => p.secrets),
      vars: parts.flatMap((p) => p.vars),
      inputs: parts.flatMap((p) => p.inputs),
      file,
      span,
    };
  }
  // Written as an expression; what it may carry is named by its secrets and inputs.
  return {
    ...base(file, span, 'maybe', 'expression'),
    secrets: parts.flatMap((p) => p.secrets),
    vars: parts.flatMap((p) => p.vars),
    inputs: parts.flatMap((p) => p.inputs),
    why: op.conditional
      ? `is chosen by the condition in \`${op.text}\` at run time`
      : `comes from the expression \`${op.text}\`, decided at run time`,
  };
}

/**
 * An anchored `env:` reused by every step hands the same few texts over again and again; parsing each
 * expression once keeps a thousand aliases from costing a thousand parses each. Bounded in entries and
 * in the length of a text, so a file of distinct texts cannot grow it without end.
 */
const classified = new Map<string, Classified>();
const CLASSIFIED_LIMIT = 4096;

function classifyOnce(text: string): Classified {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a text kept or not classifies the same
  if (text.length > 256) return classify(text);
  return classified.get(text) ?? classifyAndKeep(text);
}

function classifyAndKeep(text: string): Classified {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: emptied early or late, it classifies the same
  if (classified.size >= CLASSIFIED_LIMIT) classified.clear();
  // A YAML scalar can be a view into its file's whole text: the kept key (and the parts classify
  // slices from it) must be a copy, or the cache would keep every scanned file alive.
  const own = Buffer.from(text).toString('utf8');
  const c = classify(own);
  classified.set(own, c);
  return c;
}

/** What a YAML value puts into a variable, following inputs, env and the caller's secrets. */
export function resolveText(text: string, scope: Scope, file: string, span: Span): Resolved {
  const c = classifyOnce(text);
  if (c.kind === 'empty') return emptyValue(file, span);
  // GitHub rejects a `${{` that is never closed, so the text is no credential pasted in: what the value
  // would have been is not known (the file is reported where the expression opens).
  if (c.kind === 'literal' && text.includes('${{'))
    return { ...base(file, span, 'maybe', 'expression'), why: 'has a `${{` that is never closed' };
  if (c.kind === 'literal') return { ...base(file, span, 'set', 'literal'), literal: text };
  if (c.kind === 'template') {
    const parts = c.refs.map((r) => resolveReference(r, scope, file, span));
    const anySet = parts.some((p) => p.presence === 'set');
    return {
      ...base(file, span, c.hasText || anySet ? 'set' : 'maybe', 'expression'),
      secrets: parts.flatMap((p) => p.secrets),
      vars: parts.flatMap((p) => p.vars),
      inputs: parts.flatMap((p) => p.inputs),
      why: 'is built from text and expressions',
    };
  }
  // `a || b`: the first truthy operand wins at run time; every named secret is a possible source.
  const results = c.operands.map((op) => resolveOperand(op, scope, file, span));
  const live = results.filter((r) => r.presence !== 'empty');
  if (live.length === 0) return results.find((r) => r.why) ?? emptyValue(file, span);
  // The first live operand stands for all, by form (a lone operand is itself, and when all are secrets so is
  // it) and by presence, unless a later one is surely set: then so is the value.
  const first = live[0]!;
  return {
    ...first,
    presence: live.some((r) => r.presence === 'set') ? 'set' : first.presence,
    secrets: live.flatMap((r) => r.secrets),
    vars: live.flatMap((r) => r.vars),
    inputs: live.flatMap((r) => r.inputs),
  };
}

export function resolveValue(value: Value, scope: Scope): Resolved {
  return resolveText(value.text, scope, scope.file, value.span);
}

/** How the value is written, for reports: never the text of a literal credential. */
export function describeSource(value: Resolved): string {
  if (value.secrets.length > 0)
    return value.secrets.map((s) => (s === '*' ? 'secrets[...]' : `secrets.${s}`)).join(' || ');
  if (value.vars.length > 0) return value.vars.map((v) => `vars.${v}`).join(' || ');
  if (value.inputs.length > 0) return value.inputs.map((i) => `inputs.${i}`).join(' || ');
  return value.form;
}
