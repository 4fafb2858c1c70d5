import type { Level, Presence, Span } from '../types.js';
import {
  asText,
  contextsOf,
  matrixReferences,
  evaluate,
  newStepBudget,
  parseGithubExpression,
  property,
  truthy,
  type Ast,
  type Json,
  type Outcome,
} from './evaluate.js';
import { classify, findExpressions, type Classified, type Operand, type Reference } from './expression.js';
import type { Matrix } from './matrix.js';
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
  /**
   * Every text the value can take, when each is fixed by the files though which one is not (a condition
   * only run time decides, the combinations of a matrix): read for switches, never printed.
   */
  possible?: string[];
  /**
   * Set with `possible` when the texts are the matrix's, one per combination, and `why` says so (a
   * route reads each combination on its own); a value whose reason is replaced (doubted) drops it.
   */
  perCombination?: true;
  /**
   * Text written around expressions or shell variables (`Authorization: Bearer ${{ secrets.T }}`), as
   * written: read for the names it spells (a header's), never printed.
   */
  written?: string;
  why?: string;
  /**
   * The value of a reusable workflow's `type: boolean` input: in an expression `inputs.<name>` is the
   * Boolean, so `inputs.x == 'true'` is false whatever it holds (a composite action's inputs are text).
   */
  boolean?: true;
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
  /** The combinations of the job's matrix, when the files fix them. */
  matrix?: Matrix;
  /** What the steps walked so far wrote as outputs, by step id (`steps.<id>.outputs.<name>`). */
  steps?: ReadonlyMap<string, ReadonlyMap<string, Resolved>>;
  /** What the jobs this one needs left as outputs, by job id (`needs.<id>.outputs.<name>`). */
  needs?: ReadonlyMap<string, ReadonlyMap<string, Resolved>>;
  /** `github.event_name`: the events the workflow runs on, when the files fix them (no caller decides). */
  events?: readonly string[];
  /** `github.event.inputs.<name>`: a dispatched workflow's inputs, as text. */
  eventInputs?: ReadonlyMap<string, Resolved>;
  env: ReadonlyMap<string, Binding>;
}

/** A value now only maybe there, for `why`: its texts are no longer the matrix's own choice. */
export function doubted(value: Resolved, why: string): Resolved {
  const out: Resolved = { ...value, presence: 'maybe', why };
  delete out.perCombination;
  return out;
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
    case 'steps':
    case 'needs':
    case 'github':
      return knownByFiles(ref, scope, file, span) ?? runTime(ref, file, span);
    default:
      return runTime(ref, file, span);
  }
}

/** A reference only run time gives a value. */
function runTime(ref: Reference, file: string, span: Span): Resolved {
  return {
    ...base(file, span, 'maybe', 'expression'),
    why: `comes from \`${ref.context}.${ref.name}\`, decided at run time`,
  };
}

/**
 * `steps.<id>.outputs.<name>` an earlier step wrote where the files say (`needs.<id>.outputs` a job), `github.event_name` of a workflow
 * whose events the files fix, and `github.event.inputs.<name>` of a dispatched one; undefined otherwise.
 */
function knownByFiles(ref: Reference, scope: Scope, file: string, span: Span): Resolved | undefined {
  const output = /^([^.]+)\.outputs\.(.+)$/.exec(ref.name);
  if (ref.context === 'steps') return output ? scope.steps?.get(output[1]!)?.get(output[2]!) : undefined;
  if (ref.context === 'needs') return output ? scope.needs?.get(output[1]!)?.get(output[2]!) : undefined;
  if (ref.name === 'event_name' && scope.events && scope.events.length > 0) {
    const events = scope.events;
    return events.length === 1
      ? { ...base(file, span, 'set', 'literal'), literal: events[0]! }
      : {
          ...base(file, span, 'set', 'expression'),
          possible: [...events],
          why: 'is the event that starts the run',
        };
  }
  const input = /^event\.inputs\.(.+)$/.exec(ref.name);
  return input ? scope.eventInputs?.get(input[1]!) : undefined;
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
  if (c.kind === 'literal' || !text.includes('${{')) return byShape(text, c, scope, file, span);
  const decided = evaluated(text, c.kind === 'choice', scope, file, span);
  if (decided && 'resolved' in decided) return decided.resolved;
  const shaped = byShape(text, c, scope, file, span);
  if (!decided) return shaped;
  // Every text it can take is set: so is the value, whichever it is.
  const presence = decided.possible.includes('') ? shaped.presence : 'set';
  return decided.perCombination
    ? { ...shaped, presence, possible: decided.possible, why: decided.why, perCombination: true }
    : { ...shaped, presence, possible: decided.possible };
}

/** The possible values of what a reference resolves to: known when the files fix it. */
function outcomesOf(resolved: Resolved, ref: Reference): Outcome[] {
  if (resolved.boolean && ref.context === 'inputs') {
    // A dispatched Boolean is either; on another event of the workflow it is empty.
    if (resolved.possible)
      return resolved.possible.map((v) => ({ known: true, value: v === '' ? v : v === 'true' }));
    const text = resolved.form === 'literal' ? resolved.literal!.trim().toLowerCase() : undefined;
    if (text === 'true' || text === 'false') return [{ known: true, value: text === 'true', from: ref }];
    return [{ known: false, type: 'boolean', ref }];
  }
  if (resolved.possible) return resolved.possible.map((value) => ({ known: true, value }));
  if (resolved.form === 'literal') return [{ known: true, value: resolved.literal!, from: ref }];
  if (resolved.form === 'empty') return [{ known: true, value: '', from: ref }];
  return [{ known: false, type: 'string', ref }];
}

/** Contexts whose values are strings: an unknown one is falsy only when empty. */
const STRING_CONTEXTS: ReadonlySet<string> = new Set(['secrets', 'vars', 'inputs', 'env', 'steps', 'needs']);

function matrixCell(combination: Record<string, Json>, name: string): Json {
  const [key, ...rest] = name.split('.');
  let value = property(combination, key!);
  for (const part of rest) value = property(value, part);
  return value;
}

/** What a reference reads in `scope`, in one combination of the matrix (none: the matrix is run time's). */
function lookupIn(
  scope: Scope,
  combination: Record<string, Json> | undefined,
  file: string,
  span: Span,
): (ref: Reference) => Outcome[] {
  return (ref) => {
    if (ref.context === 'matrix')
      return combination
        ? [{ known: true, value: matrixCell(combination, ref.name) }]
        : [{ known: false, type: 'any' }];
    if (RESOLVED_CONTEXTS.has(ref.context)) return outcomesOf(resolveReference(ref, scope, file, span), ref);
    const fixed = ref.context === 'github' ? knownByFiles(ref, scope, file, span) : undefined;
    if (fixed) return outcomesOf(fixed, ref);
    return [{ known: false, type: STRING_CONTEXTS.has(ref.context) ? 'string' : 'any', ref }];
  };
}

/** What a step's `if:` comes to: it lets the step run whatever happens, never, or as run time decides. */
export type Truth = 'always' | 'never' | 'maybe';

/**
 * The tree of a condition (GitHub reads an `if:` as an expression, with or without `${{ }}`); undefined
 * when text lies around an expression (a non-empty string, so true) or it is not GitHub's syntax.
 */
function conditionTree(text: string): Ast | undefined {
  const slices = findExpressions(text);
  const only = slices.length === 1 && slices[0]!.start === 0 && slices[0]!.end === text.length;
  if (slices.length > 0 && !only) return undefined;
  return parseGithubExpression(only ? slices[0]!.expr : text);
}

/** `always()`, `success()` (the default), `!cancelled()`, `true`: the step runs as if it had no condition. */
function runsAnyway(tree: Ast): boolean {
  if (tree.kind === 'literal') return tree.value === true;
  const call = tree.kind === 'not' ? tree.operand : tree;
  if (call.kind !== 'call' || call.args.length > 0) return false;
  return tree.kind === 'not' ? call.name === 'cancelled' : call.name === 'always' || call.name === 'success';
}

/**
 * A step's `if:`, read once. `always` for none, or a status check that always lets it run. `never` when,
 * with `scope`, it is false in every combination of the job's matrix for the values the files give what
 * it reads: such a step never runs. What run time decides (a secret, `github.*`, a status function, an
 * input of a file read without its caller) leaves it `maybe`, and so does text around an expression (a
 * non-empty string is true, but the step may still be skipped as any step is after a failure).
 */
export function conditionTruth(condition: Value, scope?: Scope): Truth {
  const text = condition.text.trim();
  if (text === '') return 'always';
  const tree = conditionTree(text);
  if (!tree) return 'maybe';
  if (runsAnyway(tree)) return 'always';
  return scope && neverHolds(tree, scope, condition.span) ? 'never' : 'maybe';
}

/** A condition as a message quotes it: the expression inside its `${{ }}`, or the text as written. */
export function conditionWords(condition: Value): string {
  const text = condition.text.trim();
  const slices = findExpressions(text);
  const only = slices.length === 1 && slices[0]!.start === 0 && slices[0]!.end === text.length;
  return only ? slices[0]!.expr.trim() : text;
}

function neverHolds(tree: Ast, scope: Scope, span: Span): boolean {
  const matrix = scope.matrix !== 'unknown' ? scope.matrix : undefined;
  const budget = newStepBudget();
  for (const combination of matrix?.combinations ?? [undefined]) {
    const fixed = lookupIn(scope, combination, scope.file, span);
    // Read without its caller, an input's default is only what a caller leaves it: a caller may pass
    // another, of the declared type.
    const lookup = (ref: Reference): Outcome[] =>
      ref.context === 'inputs' && !scope.inputs && !scope.declaredInputs?.get(ref.name)?.possible
        ? [{ known: false, type: scope.declaredInputs?.get(ref.name)?.boolean ? 'boolean' : 'string', ref }]
        : fixed(ref);
    const outcomes = evaluate(tree, lookup, budget);
    if (!outcomes || outcomes.some((o) => !o.known || truthy(o.value))) return false;
  }
  return true;
}

type Evaluated =
  | { resolved: Resolved }
  | { possible: string[]; perCombination?: undefined }
  | { possible: string[]; perCombination: true; why: string };

/**
 * What evaluating the text with GitHub's semantics decides over the values the files fix (inputs,
 * defaults, env, the matrix, each combination on its own): a value, the set of texts it can take, or
 * undefined when run time decides more than that (the value is then read by its shape).
 */
function evaluated(
  text: string,
  whole: boolean,
  scope: Scope,
  file: string,
  span: Span,
): Evaluated | undefined {
  const slices = findExpressions(text);
  const trees = slices.map((s) => parseGithubExpression(s.expr));
  if (trees.some((t) => t === undefined)) return undefined;
  const contexts = new Set<string>();
  for (const t of trees) contextsOf(t!, contexts);
  // Text around an expression is a value the files fix only when what it reads is an input or the matrix:
  // `sk-${{ env.X }}` stays a value written as an expression.
  if (!whole && [...contexts].some((x) => x !== 'inputs' && x !== 'matrix')) return undefined;
  const matrix = contexts.has('matrix') && scope.matrix !== 'unknown' ? scope.matrix : undefined;
  const budget = newStepBudget();
  const texts = new Set<string>();
  for (const combination of matrix?.combinations ?? [undefined]) {
    const lookup = lookupIn(scope, combination, file, span);
    let pieces = [''];
    let last = 0;
    for (const [i, slice] of slices.entries()) {
      const outcomes = evaluate(trees[i]!, lookup, budget);
      if (!outcomes) return undefined;
      // The whole value is one reference's own value (`secrets.KEY` once `inputs.on == 'true' &&` is decided).
      const only = outcomes.length === 1 ? outcomes[0]! : undefined;
      const passed = only && (only.known ? only.from : only.ref);
      if (whole && passed && !matrix) return { resolved: resolveReference(passed, scope, file, span) };
      const written = outcomes.map((o) => (o.known ? asText(o.value) : undefined));
      if (written.some((w) => w === undefined)) return undefined;
      const before = text.slice(last, slice.start);
      pieces = pieces.flatMap((p) => written.map((w) => p + before + w!));
      if (pieces.length > MAX_TEXTS) return undefined;
      last = slice.end;
    }
    for (const p of pieces) texts.add(p + text.slice(last));
    if (texts.size > MAX_TEXTS) return undefined;
  }
  const values = [...texts];
  if (values.length > 1)
    return matrix
      ? { possible: values, perCombination: true, why: matrixWhy(trees as Ast[]) }
      : { possible: values };
  const value = values[0]!;
  if (value !== '') return { resolved: { ...base(file, span, 'set', 'literal'), literal: value } };
  return { resolved: emptyByValues(text, contexts, scope, file, span) };
}

/**
 * An expression the files make empty: it names what it reads (`format('{0}', secrets.MISSING)` is that
 * secret, which the caller does not pass), and says why, the reference's own reason first.
 */
function emptyByValues(
  text: string,
  contexts: Set<string>,
  scope: Scope,
  file: string,
  span: Span,
): Resolved {
  const c = classifyOnce(text);
  const refs =
    c.kind === 'template'
      ? c.refs
      : c.kind === 'choice'
        ? c.operands.flatMap((op) => (op.kind === 'ref' ? [op.ref] : op.kind === 'complex' ? op.refs : []))
        : [];
  const read = refs.map((r) => resolveReference(r, scope, file, span));
  const named = [...contexts].filter((x) => FIXED_CONTEXTS.has(x));
  return {
    ...emptyValue(file, span),
    secrets: read.flatMap((r) => (r.presence === 'empty' ? r.secrets : [])),
    why:
      read.find((r) => r.presence === 'empty' && r.why)?.why ??
      `is empty with the values the files give ${named.length > 0 ? named.join(' and ') : 'it'}`,
  };
}

/** The reason of a value the matrix fixes for each combination, but not as one value. */
function matrixWhy(trees: Ast[]): string {
  const names = new Set<string>();
  for (const t of trees) matrixReferences(t, names);
  return `comes from the matrix (${[...names].map((n) => `\`${n}\``).join(', ')}), which differs between its combinations`;
}

/** Texts one value may take before it is left to run time. */
const MAX_TEXTS = 32;
/** Contexts resolveReference reads; the others are run time's. */
const RESOLVED_CONTEXTS: ReadonlySet<string> = new Set([
  'secrets',
  'vars',
  'inputs',
  'env',
  'steps',
  'needs',
]);
/** Contexts whose values the files can fix. */
const FIXED_CONTEXTS: ReadonlySet<string> = new Set(['inputs', 'matrix', 'env']);

/** A value read by its shape: which secrets, variables and inputs it names, and whether it is surely set. */
function byShape(text: string, c: Classified, scope: Scope, file: string, span: Span): Resolved {
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
      written: text,
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

/** A value's form in words a reader knows, said when no secret, variable or input names it. */
export const FORM_WORDS: Record<Resolved['form'], string> = {
  literal: 'written in the file',
  empty: 'empty',
  expression: 'an expression',
  secret: 'a secret',
  vars: 'a variable',
  input: 'an input',
};

/**
 * How the value is written, as the JSON report's `source` gives it (`secrets.NAME`, or its form:
 * `literal`, `expression`): never the text of a literal credential.
 */
export function describeSource(value: Resolved): string {
  if (value.secrets.length > 0)
    return value.secrets.map((s) => (s === '*' ? 'secrets[...]' : `secrets.${s}`)).join(' || ');
  if (value.vars.length > 0) return value.vars.map((v) => `vars.${v}`).join(' || ');
  if (value.inputs.length > 0) return value.inputs.map((i) => `inputs.${i}`).join(' || ');
  return value.form;
}

/** A `source` as a person reads it: a form in words (`written in the file`), a name as it is. */
export function sourceWords(source: string): string {
  return (FORM_WORDS as Record<string, string | undefined>)[source] ?? source;
}

/** describeSource as the object of a sentence: "passes a value written in the file to ...". */
export function describeValue(value: Resolved): string {
  const source = describeSource(value);
  return source === 'literal' ? `a value ${FORM_WORDS.literal}` : sourceWords(source);
}
