import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ALL_RULE_IDS } from '../rules/index.js';
import { ROUTE_KINDS, type RouteKind, type Severity, type Span } from '../types.js';
import { FAIL_ON_LEVELS, type FailOn } from './fail-on.js';

export interface AllowEntry {
  workflow: string;
  job?: string;
  routes: RouteKind[];
  reason: string;
  /** Where the entry sits in the policy file, for the unused-allow notice. */
  span?: Span;
  /** Where its `job:` value sits: the notice points there when no run's job matches it. */
  jobSpan?: Span;
}

export interface Policy {
  /** Severity per rule id, or `off`. */
  rules: Record<string, Severity | 'off'>;
  allow: AllowEntry[];
  failOn?: FailOn;
  /** The policy file as reports name it; unset for the defaults. */
  file?: string;
}

export const DEFAULT_POLICY: Policy = { rules: {}, allow: [] };
export const DEFAULT_POLICY_PATH = '.github/claude-route-guard.yml';

export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly span: Span,
    message: string,
  ) {
    super(`${file}:${span.line}:${span.column}: ${message}`);
  }
}

const SEVERITIES = ['off', 'notice', 'warning', 'error'] as const;
const TOP_KEYS = ['allow', 'rules', 'fail-on'];
const ALLOW_KEYS = ['workflow', 'job', 'routes', 'reason'];

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * A name from a file the pull request's author wrote, fit to repeat in a message: only characters a path,
 * job id or rule id uses, so it cannot become an @mention, markup or a workflow command.
 */
export function safeName(name: string, fallback: string): string {
  return /^[\w./*?-]{1,100}$/.test(name) ? name : fallback;
}

/** ` (did you mean "x"?)` when a known name is close to the unknown one. */
export function didYouMean(name: string, known: readonly string[]): string {
  const lower = name.toLowerCase();
  const extended = known.filter(
    (k) => k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()),
  );
  if (lower.length >= 3 && extended.length === 1) return ` (did you mean "${extended[0]}"?)`;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3))
    ? ` (did you mean "${best}"?)`
    : '';
}

/** Where a policy node sits, and how to refuse it: every error names its line and column. */
interface PolicyReader {
  spanOf(node: Node | null | undefined): Span;
  fail(node: Node | null | undefined, message: string): never;
}

function policyReader(file: string, lineCounter: LineCounter): PolicyReader {
  const spanOf = (node: Node | null | undefined): Span => {
    const [start, end] = node?.range ?? [0, 0];
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(end);
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  return {
    spanOf,
    fail: (node, message) => {
      throw new PolicyError(file, spanOf(node), message);
    },
  };
}

const scalarText = (node: unknown): string => (isScalar(node) ? String(node.value) : '');

/** Reads and validates a policy file; every error names its line and column. */
export function parsePolicy(text: string, file: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const a = lineCounter.linePos(error.pos[0]);
    throw new PolicyError(
      file,
      { line: a.line, column: a.col, endLine: a.line, endColumn: a.col + 1 },
      `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const read = policyReader(file, lineCounter);
  const policy: Policy = { rules: {}, allow: [], file };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return policy;
  if (!isMap(root))
    return read.fail(root, 'the policy must be a mapping with `allow`, `rules` and `fail-on`');
  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = scalarText(keyNode);
    const value = pair.value as Node | null;
    if (key === 'fail-on') policy.failOn = readFailOn(read, value);
    else if (key === 'rules') Object.assign(policy.rules, readRuleSeverities(read, keyNode, value));
    else if (key === 'allow') policy.allow.push(...readAllowList(read, keyNode, value));
    else
      read.fail(
        keyNode,
        `unknown key "${key}"${didYouMean(key, TOP_KEYS)}; the policy has allow, rules and fail-on`,
      );
  }
  return policy;
}

function readFailOn(read: PolicyReader, value: Node | null): FailOn {
  const v = scalarText(value);
  if (!(FAIL_ON_LEVELS as readonly string[]).includes(v))
    read.fail(
      value,
      `fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}, not "${v}"${didYouMean(v, FAIL_ON_LEVELS)}`,
    );
  return v as FailOn;
}

function readRuleSeverities(
  read: PolicyReader,
  keyNode: Node,
  value: Node | null,
): Record<string, Severity | 'off'> {
  if (!isMap(value))
    return read.fail(value ?? keyNode, '`rules` must map rule ids to off, notice, warning or error');
  const rules: Record<string, Severity | 'off'> = {};
  for (const rule of value.items) {
    const idNode = rule.key as Node;
    const id = scalarText(idNode);
    if (!ALL_RULE_IDS.includes(id))
      read.fail(
        idNode,
        `unknown rule "${id}"${didYouMean(id, ALL_RULE_IDS)}; \`claude-route-guard --list-rules\` lists them`,
      );
    const sevNode = rule.value as Node | null;
    const sev = scalarText(sevNode);
    if (!(SEVERITIES as readonly string[]).includes(sev))
      read.fail(
        sevNode ?? idNode,
        `the severity of ${id} must be one of ${SEVERITIES.join(', ')}, not "${sev}"${didYouMean(sev, SEVERITIES)}`,
      );
    rules[id] = sev as Severity | 'off';
  }
  return rules;
}

function readAllowList(read: PolicyReader, keyNode: Node, value: Node | null): AllowEntry[] {
  if (!isSeq(value))
    return read.fail(value ?? keyNode, '`allow` must be a list of entries with workflow, routes and reason');
  return value.items.map((item) => readAllowEntry(read, item as Node));
}

function readAllowEntry(read: PolicyReader, item: Node): AllowEntry {
  if (!isMap(item))
    return read.fail(item, 'each `allow` entry must be a mapping with workflow, routes and reason');
  const entry: Partial<AllowEntry> = { span: read.spanOf(item) };
  for (const field of item.items) {
    const fNode = field.key as Node;
    const f = scalarText(fNode);
    const v = field.value as Node | null;
    if (f === 'workflow' || f === 'job' || f === 'reason') {
      entry[f] = nonEmptyText(read, v, `\`${f}\``);
      if (f === 'job') entry.jobSpan = read.spanOf(v);
    } else if (f === 'routes') entry.routes = readRouteKinds(read, fNode, v);
    else read.fail(fNode, `unknown key "${f}" in an allow entry${didYouMean(f, ALLOW_KEYS)}`);
  }
  for (const required of ['workflow', 'routes', 'reason'] as const) {
    if (entry[required] === undefined)
      read.fail(
        item,
        `this allow entry needs \`${required}\`${required === 'reason' ? ', which shows in the summary' : ''}`,
      );
  }
  return entry as AllowEntry;
}

function nonEmptyText(read: PolicyReader, node: Node | null, what: string): string {
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '')
    return read.fail(node, `${what} must be a non-empty string`);
  return node.value;
}

function readRouteKinds(read: PolicyReader, fNode: Node, v: Node | null): RouteKind[] {
  const kinds = isSeq(v)
    ? v.items
    : isScalar(v)
      ? [v]
      : read.fail(v ?? fNode, '`routes` must be a list of route kinds');
  // An empty list allows nothing: it is a mistake, never an entry that means something.
  if (kinds.length === 0)
    read.fail(v, `\`routes\` must list at least one route; routes are ${ROUTE_KINDS.join(', ')}`);
  return kinds.map((k) => {
    const kind = scalarText(k);
    if (!(ROUTE_KINDS as readonly string[]).includes(kind))
      read.fail(
        k as Node,
        `unknown route "${kind}"${didYouMean(kind, ROUTE_KINDS)}; routes are ${ROUTE_KINDS.join(', ')}`,
      );
    return kind as RouteKind;
  });
}

type GlobToken = 'any' | 'folders' | 'segment' | 'one' | { literal: string };

function globTokens(glob: string): GlobToken[] {
  const out: GlobToken[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      // `**/` is whole folders or none: `**/review.yml` names review.yml anywhere, never preview.yml.
      if (glob[i + 1] === '/') {
        out.push('folders');
        i++;
      } else out.push('any');
    } else if (c === '*') out.push('segment');
    else if (c === '?') out.push('one');
    else out.push({ literal: c });
  }
  return out;
}

/**
 * `**` any text (followed by a slash: nothing, or any text that ends in `/`), `*` any text without `/`,
 * `?` one character but `/`. Matched by dynamic programming
 * over (pattern, text) positions: a backtracking regex of `**a**a**a**b` runs for minutes.
 */
export function globMatches(glob: string, text: string): boolean {
  const tokens = globTokens(glob);
  // reach[j]: the tokens so far can consume exactly text[0, j). An entry never set, like reach[-1] at
  // j = 0, is false: nothing was reached there.
  let reach: boolean[] = [true];
  for (const token of tokens) {
    const next: boolean[] = [];
    // Whether the tokens so far reached some position before j.
    let reachedBefore = false;
    for (let j = 0; j <= text.length; j++) {
      if (token === 'folders') {
        if (reach[j] || (reachedBefore && text[j - 1] === '/')) next[j] = true;
      } else if (token === 'any' || token === 'segment') {
        // A star extends whatever was reached, as long as its run allows the next character.
        if (reach[j] || (next[j - 1] && (token === 'any' || text[j - 1] !== '/'))) next[j] = true;
      } else if (reach[j - 1]) {
        const c = text[j - 1]!;
        next[j] = token === 'one' ? c !== '/' : c === token.literal;
      }
      if (reach[j]) reachedBefore = true;
    }
    reach = next;
  }
  return reach[text.length] === true;
}

/**
 * Whether an entry's routes cover a run: its route is listed, or the route is decided at run time
 * (`unknown`) and every route it can end on is listed (`routes: [subscription-oauth-token, api-key]` for a
 * run that prefers the token and falls back to the key).
 */
export function coversRoute(
  entry: Pick<AllowEntry, 'routes'>,
  route: RouteKind,
  outcomes: readonly RouteKind[],
): boolean {
  if (entry.routes.includes(route)) return true;
  return route === 'unknown' && outcomes.length > 0 && outcomes.every((o) => entry.routes.includes(o));
}

/** The entry that declares a run intended; `path` is its file's path from the repository root. */
export function allowedBy(
  policy: Policy,
  path: string,
  job: string,
  route: RouteKind,
  outcomes: readonly RouteKind[],
): AllowEntry | undefined {
  return policy.allow.find(
    (a) =>
      coversRoute(a, route, outcomes) &&
      globMatches(a.workflow, path) &&
      (a.job === undefined || globMatches(a.job, job)),
  );
}
