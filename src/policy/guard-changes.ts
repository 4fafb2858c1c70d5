import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { Span } from '../types.js';

/**
 * What a pull request changes in the workflow that runs the guard: the guard's step (its `uses:`, its
 * `with:` inputs, its `if:`, `continue-on-error`), the job around it (`if:`, `continue-on-error`), or
 * the step or job removed. On `pull_request` the workflow is the PR's own copy, so these are the PR
 * switching the check off; a reviewer must see each one.
 */
export interface GuardChange {
  message: string;
  /** Where in the head's workflow; line 1 when the change is a removal with nothing left to point at. */
  span: Span;
}

interface GuardStep {
  job: string;
  uses: string;
  fields: Map<string, string>;
  span: Span;
}

interface GuardJob {
  fields: Map<string, string>;
  span: Span;
  steps: GuardStep[];
  /** The steps that run before the job's first guard step: what they are (`uses:` or `run:`), and where. */
  before: { what: string; span: Span }[];
}

/** Values are quoted back to the reader; a long one is cut, since the PR chose it. */
const VALUE_LIMIT = 120;
const quote = (value: string): string =>
  `\`${value.length > VALUE_LIMIT ? `${value.slice(0, VALUE_LIMIT)}…` : value}\``;
const TOP: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** A value as written: a scalar's value, else its source text (an alias is never expanded). */
function textIn(source: string): (node: unknown) => string | undefined {
  return (node) => {
    if (isScalar(node)) return node.value === null ? '' : String(node.value);
    const range = (node as Node | null)?.range;
    return range ? source.slice(range[0], range[1]).trim() : undefined;
  };
}

/** Each job with its guard steps (maybe none), from one version of the workflow; undefined when it is not one. */
function guardJobs(source: string, isGuard: (uses: string) => boolean): Map<string, GuardJob> | undefined {
  const lines = new LineCounter();
  const text = textIn(source);
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const spanOf = (node: Node | null | undefined): Span => {
    const range = node?.range;
    if (!range) return TOP;
    const a = lines.linePos(range[0]);
    const b = lines.linePos(range[1]);
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const jobs = root.get('jobs', true);
  if (!isMap(jobs)) return undefined;
  const out = new Map<string, GuardJob>();
  for (const pair of jobs.items) {
    const id = text(pair.key);
    const job = pair.value;
    if (id === undefined || !isMap(job)) continue;
    const steps = job.get('steps', true);
    const found: GuardStep[] = [];
    const before: GuardJob['before'] = [];
    for (const step of isSeq(steps) ? steps.items : []) {
      if (!isMap(step)) continue;
      const uses = text(step.get('uses', true));
      if (uses === undefined || !isGuard(uses)) {
        if (found.length === 0) before.push({ what: stepWhat(step, text), span: spanOf(step as Node) });
        continue;
      }
      const fields = new Map<string, string>();
      for (const key of ['if', 'continue-on-error']) {
        const value = text(step.get(key, true));
        if (value !== undefined) fields.set(key, value);
      }
      const inputs = step.get('with', true);
      if (isMap(inputs))
        for (const input of inputs.items) {
          const name = text(input.key);
          if (name !== undefined) fields.set(`input ${name}`, text(input.value) ?? '');
        }
      found.push({ job: id, uses, fields, span: spanOf(step as Node) });
    }
    const fields = new Map<string, string>();
    for (const key of ['if', 'continue-on-error']) {
      const value = text(job.get(key, true));
      if (value !== undefined) fields.set(key, value);
    }
    out.set(id, { fields, span: spanOf(pair.key as Node), steps: found, before });
  }
  return out;
}

/** A step as a reviewer tells it from another: its `uses:` or its `run:` (as written), else its name. */
function stepWhat(step: YAMLMap, text: (node: unknown) => string | undefined): string {
  for (const key of ['uses', 'run', 'name']) {
    const value = text(step.get(key, true));
    if (value !== undefined) return `${key}: ${value}`;
  }
  return 'a step with no uses:, run: or name:';
}

/**
 * Steps the head runs before the guard in its job that the base did not (as a multiset): they run with
 * the job's token and can change the workspace the guard then reads.
 */
function stepsBefore(id: string, base: GuardJob, head: GuardJob): GuardChange[] {
  const left = new Map<string, number>();
  for (const step of base.before) left.set(step.what, (left.get(step.what) ?? 0) + 1);
  const out: GuardChange[] = [];
  for (const step of head.before) {
    const count = left.get(step.what) ?? 0;
    if (count > 0) left.set(step.what, count - 1);
    else
      out.push({
        message: `a step before the guard in job \`${id}\` is added: ${quote(step.what)}`,
        span: step.span,
      });
  }
  return out;
}

function fieldChanges(what: string, base: Map<string, string>, head: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [key, before] of base) {
    const after = head.get(key);
    if (after === undefined) out.push(`${what}: ${key} ${quote(before)} is removed`);
    else if (after !== before) out.push(`${what}: ${key} changes from ${quote(before)} to ${quote(after)}`);
  }
  for (const [key, after] of head) if (!base.has(key)) out.push(`${what}: ${key} ${quote(after)} is added`);
  return out;
}

/**
 * Every change from `base` to `head` of the guard's steps in the workflow `file`. A base without the
 * workflow, or without a guard step in it, has nothing the PR could relax.
 */
export function guardChanges(
  base: string | null,
  head: string,
  isGuard: (uses: string) => boolean,
): GuardChange[] {
  if (base === null) return [];
  const before = new Map([...(guardJobs(base, isGuard) ?? [])].filter(([, job]) => job.steps.length > 0));
  if (before.size === 0) return [];
  const after = guardJobs(head, isGuard) ?? new Map<string, GuardJob>();
  const out: GuardChange[] = [];
  for (const [id, job] of before) {
    const now = after.get(id);
    if (!now) {
      out.push({
        message: `the job \`${id}\` that ran the guard is removed`,
        span: TOP,
      });
      continue;
    }
    for (const message of fieldChanges(`job \`${id}\``, job.fields, now.fields))
      out.push({ message, span: now.span });
    if (now.steps.length > 0) out.push(...stepsBefore(id, job, now));
    for (const [i, step] of job.steps.entries()) {
      const current = now.steps[i];
      if (!current) {
        out.push({
          message: `the guard step ${quote(step.uses)} in job \`${id}\` is removed`,
          span: now.span,
        });
        continue;
      }
      const what = `the guard step in job \`${id}\``;
      if (current.uses !== step.uses)
        out.push({
          message: `${what} now uses ${quote(current.uses)} instead of ${quote(step.uses)}`,
          span: current.span,
        });
      for (const message of fieldChanges(what, step.fields, current.fields))
        out.push({ message, span: current.span });
    }
  }
  return out;
}

/**
 * Whether a `uses:` is this action: its repository as the runner names it (GITHUB_ACTION_REPOSITORY),
 * any repository named claude-route-guard, or `./` in the action's own repository.
 */
export function guardMatcher(actionRepository: string | undefined): (uses: string) => boolean {
  const own = actionRepository?.toLowerCase();
  return (uses) => {
    const address = uses.split('@')[0]!.toLowerCase().replace(/\/+$/, '');
    if (address === '.' || address === './') return !own;
    const repository = address.split('/').slice(0, 2).join('/');
    return repository === own || /^[^/]+\/claude-route-guard$/.test(repository);
  };
}
