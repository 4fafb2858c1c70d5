import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ALL_RULE_IDS } from '../rules/index.js';
import { ROUTE_KINDS, type RouteKind, type Severity, type Span } from '../types.js';
import { FAIL_ON_LEVELS, type FailOn } from './fail-on.js';
import { meter } from '../meter.js';

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

/** One mistake in a policy file, where it is. */
export interface PolicyProblem {
  span: Span;
  message: string;
}

/** Every mistake of a policy file at once, one `file:line:column: message` line each, in file order. */
export class PolicyError extends Error {
  readonly problems: readonly PolicyProblem[];

  constructor(
    readonly file: string,
    problems: readonly PolicyProblem[],
  ) {
    const sorted = [...problems].sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
    super(sorted.map((p) => `${file}:${p.span.line}:${p.span.column}: ${p.message}`).join('\n'));
    this.problems = sorted;
  }

  /** Where the first mistake is. */
  get span(): Span {
    return this.problems[0]!.span;
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

/** Collects the mistakes of one policy file as it is read, each at the node it is about. */
class PolicyReader {
  readonly problems: PolicyProblem[] = [];

  constructor(private readonly lineCounter: LineCounter) {}

  spanOf(node: Node | null | undefined): Span {
    const [start, end] = node?.range ?? [0, 0];
    const a = this.lineCounter.linePos(start);
    const b = this.lineCounter.linePos(end);
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }

  problem(node: Node | null | undefined, message: string): undefined {
    this.problems.push({ span: this.spanOf(node), message });
    return undefined;
  }

  /** A scalar's text, or `''` for anything else, for messages and lookups. */
  static word(node: unknown): string {
    return isScalar(node) ? String(node.value) : '';
  }

  text(node: unknown, what: string): string | undefined {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '')
      return this.problem(node as Node, `${what} must be a non-empty string`);
    return node.value;
  }
}

function readFailOn(value: Node | null, r: PolicyReader): FailOn | undefined {
  const v = PolicyReader.word(value);
  if ((FAIL_ON_LEVELS as readonly string[]).includes(v)) return v as FailOn;
  return r.problem(
    value,
    `fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}, not "${v}"${didYouMean(v, FAIL_ON_LEVELS)}`,
  );
}

function readRules(value: Node | null, keyNode: Node, r: PolicyReader): Policy['rules'] {
  const rules: Policy['rules'] = {};
  if (!isMap(value)) {
    r.problem(value ?? keyNode, '`rules` must map rule ids to off, notice, warning or error');
    return rules;
  }
  for (const rule of value.items) {
    const idNode = rule.key as Node;
    const id = PolicyReader.word(idNode);
    const known = ALL_RULE_IDS.includes(id);
    if (!known)
      r.problem(
        idNode,
        `unknown rule "${id}"${didYouMean(id, ALL_RULE_IDS)}; \`claude-route-guard --list-rules\` lists them`,
      );
    const sevNode = rule.value as Node | null;
    const sev = PolicyReader.word(sevNode);
    if (!(SEVERITIES as readonly string[]).includes(sev))
      r.problem(
        sevNode ?? idNode,
        `the severity of ${id} must be one of ${SEVERITIES.join(', ')}, not "${sev}"${didYouMean(sev, SEVERITIES)}`,
      );
    else if (known) rules[id] = sev as Severity | 'off';
  }
  return rules;
}

function readRoutes(v: Node | null, fieldNode: Node, r: PolicyReader): RouteKind[] | undefined {
  const kinds = isSeq(v) ? v.items : isScalar(v) ? [v] : undefined;
  if (kinds === undefined) return r.problem(v ?? fieldNode, '`routes` must be a list of route kinds');
  // An empty list allows nothing: it is a mistake, never an entry that means something.
  if (kinds.length === 0)
    return r.problem(v, `\`routes\` must list at least one route; routes are ${ROUTE_KINDS.join(', ')}`);
  const routes: RouteKind[] = [];
  for (const k of kinds) {
    const kind = PolicyReader.word(k);
    if ((ROUTE_KINDS as readonly string[]).includes(kind)) routes.push(kind as RouteKind);
    else
      r.problem(
        k as Node,
        `unknown route "${kind}"${didYouMean(kind, ROUTE_KINDS)}; routes are ${ROUTE_KINDS.join(', ')}`,
      );
  }
  return routes.length === kinds.length ? routes : undefined;
}

function readAllowEntry(item: unknown, r: PolicyReader): AllowEntry | undefined {
  if (!isMap(item))
    return r.problem(item as Node, 'each `allow` entry must be a mapping with workflow, routes and reason');
  const entry: Partial<AllowEntry> = { span: r.spanOf(item as Node) };
  // A field that was there but wrong is said once, at the field, not again as missing.
  const seen = new Set<string>();
  for (const field of item.items) {
    const fieldNode = field.key as Node;
    const f = PolicyReader.word(fieldNode);
    const v = field.value as Node | null;
    if (f === 'workflow' || f === 'job' || f === 'reason') {
      seen.add(f);
      const text = r.text(v, `\`${f}\``);
      if (text !== undefined) entry[f] = text;
      if (f === 'job') entry.jobSpan = r.spanOf(v);
    } else if (f === 'routes') {
      seen.add(f);
      const routes = readRoutes(v, fieldNode, r);
      if (routes) entry.routes = routes;
    } else r.problem(fieldNode, `unknown key "${f}" in an allow entry${didYouMean(f, ALLOW_KEYS)}`);
  }
  let complete = true;
  for (const required of ['workflow', 'routes', 'reason'] as const) {
    if (entry[required] !== undefined) continue;
    complete = false;
    if (!seen.has(required))
      r.problem(
        item as Node,
        `this allow entry needs \`${required}\`${required === 'reason' ? ', which shows in the summary' : ''}`,
      );
  }
  return complete ? (entry as AllowEntry) : undefined;
}

function readAllow(value: Node | null, keyNode: Node, r: PolicyReader): AllowEntry[] {
  if (!isSeq(value)) {
    r.problem(value ?? keyNode, '`allow` must be a list of entries with workflow, routes and reason');
    return [];
  }
  return value.items.flatMap((item) => readAllowEntry(item, r) ?? []);
}

/** Reads and validates a policy file; every mistake in it is reported at once, each at its line and column. */
export function parsePolicy(text: string, file: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The structure after a YAML error is a guess: only the YAML errors are said.
    throw new PolicyError(
      file,
      doc.errors.map((error) => {
        const a = lineCounter.linePos(error.pos[0]);
        return {
          span: { line: a.line, column: a.col, endLine: a.line, endColumn: a.col + 1 },
          message: `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        };
      }),
    );
  }
  const policy: Policy = { rules: {}, allow: [], file };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return policy;
  const r = new PolicyReader(lineCounter);
  if (!isMap(root)) r.problem(root, 'the policy must be a mapping with `allow`, `rules` and `fail-on`');
  for (const pair of isMap(root) ? root.items : []) {
    const keyNode = pair.key as Node;
    const key = PolicyReader.word(keyNode);
    const value = pair.value as Node | null;
    if (key === 'fail-on') {
      const failOn = readFailOn(value, r);
      if (failOn) policy.failOn = failOn;
    } else if (key === 'rules') policy.rules = readRules(value, keyNode, r);
    else if (key === 'allow') policy.allow = readAllow(value, keyNode, r);
    else
      r.problem(
        keyNode,
        `unknown key "${key}"${didYouMean(key, TOP_KEYS)}; the policy has allow, rules and fail-on`,
      );
  }
  if (r.problems.length > 0) throw new PolicyError(file, r.problems);
  return policy;
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
    meter.globPass(text);
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
