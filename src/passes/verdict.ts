import { meter } from '../meter.js';
import { ruleById } from '../rules/index.js';
import type { RoutedInvocation, RuleTraits } from '../rules/rule.js';
import { credentialPlace } from '../rules/rule.js';
import { SEVERITY_RANK, type Finding, type Location, type RouteRow } from '../types.js';

/**
 * Which runs a finding no rule tied to a run concerns, by its rule's `reach`: a sign-in command (`claude
 * login`, `setup-token`) leaves a person's login for the job's later runs, and a look-alike installed or run
 * in one step can be the `claude` another step starts, so those reach the `job`. Findings about the inline
 * ignores themselves reach `none` (a parse-error does when it is on the run's own lines, as a `${{` never
 * closed in its key is: a file that was not read has no runs). Every other finding that names no run is
 * about its own place (a literal key, a log line, a workflow-level env entry) and concerns a run only where
 * that place is the run's own: its lines, its step, or a credential that reaches it.
 */
const reachOf = (f: Finding): RuleTraits['reach'] => ruleById(f.rule)?.reach ?? 'own-lines';

export interface Region {
  file: string;
  from: number;
  to: number;
}

/** The lines a run is judged by when a finding names no run. */
export interface Regions {
  /** Where it is written and every hop to it, each credential that reaches it (value and key), its step. */
  own: Region[];
  /** Its job, from its key to the next job's. */
  job: Region | undefined;
}

function lineRegion(place: Location): Region {
  return { file: place.file, from: place.span.line, to: place.span.endLine };
}

export function regionsOf(inv: RoutedInvocation): Regions {
  const own: Region[] = [lineRegion(inv)];
  for (const hop of inv.hops) own.push(lineRegion(hop));
  for (const b of inv.bindings.values()) {
    own.push(lineRegion(credentialPlace(b)), lineRegion({ file: b.file, span: b.keySpan }));
  }
  if (inv.stepNode) own.push({ file: inv.file, from: inv.stepNode.span.line, to: inv.stepNode.span.endLine });
  const jobs = inv.workflow?.jobs ?? [];
  const at = jobs.findIndex((j) => j.id === inv.job);
  if (at < 0) return { own, job: undefined };
  const next = jobs.slice(at + 1).find((j) => j.idSpan.line > jobs[at]!.idSpan.line);
  const job = {
    file: inv.file,
    from: jobs[at]!.idSpan.line,
    to: next ? next.idSpan.line - 1 : Number.MAX_SAFE_INTEGER,
  };
  return { own, job };
}

const placeKey = (p: Location): string => `${p.file}:${p.span.line}:${p.span.column}`;

/**
 * Names for one run: its own (the row's place and every hop to the Claude run), then the same run as it
 * is seen from each file it passes through (a wrapper scanned on its own has a row for it too). Findings
 * tied to the run under any of these names are about it; those tied to another run are not.
 */
export function runNames(inv: RoutedInvocation): string[] {
  const chain: Location[] = inv.hops.length > 0 ? inv.hops : [inv];
  return chain.map((_, i) => chain.slice(i).map(placeKey).join(' > '));
}

/**
 * The most severe finding (the first found among equals) whose lines meet a range of lines, in time
 * logarithmic in the file's lines: a finding meets [from, to] when it covers line `from` (a point query
 * over the intervals findings cover) or starts inside the range (a range query over where they start).
 * A finding's rank is its severity, then its place in `found`, as one number.
 */
class LineIndex {
  private readonly size: number;
  private readonly covers: Float64Array;
  private readonly starts: Float64Array;

  constructor(lastLine: number) {
    let size = 1;
    while (size < lastLine + 2) size *= 2;
    this.size = size;
    this.covers = new Float64Array(2 * size).fill(-Infinity);
    this.starts = new Float64Array(2 * size).fill(-Infinity);
  }

  add(from: number, to: number, rank: number): void {
    meter.verdictChecked();
    let at = this.size + from;
    for (this.starts[at] = Math.max(this.starts[at]!, rank); at > 1; at >>= 1)
      this.starts[at >> 1] = Math.max(this.starts[at >> 1]!, rank);
    for (
      let lo = this.size + from, hi = this.size + Math.min(to, this.size - 1) + 1;
      lo < hi;
      lo >>= 1, hi >>= 1
    ) {
      if (lo & 1) this.covers[lo] = Math.max(this.covers[lo++]!, rank);
      if (hi & 1) this.covers[--hi] = Math.max(this.covers[hi]!, rank);
    }
  }

  best(from: number, to: number): number {
    meter.verdictChecked();
    let best = -Infinity;
    for (let at = this.size + Math.min(from, this.size - 1); at >= 1; at >>= 1)
      best = Math.max(best, this.covers[at]!);
    for (
      let lo = this.size + Math.min(from, this.size - 1), hi = this.size + Math.min(to, this.size - 1) + 1;
      lo < hi;
      lo >>= 1, hi >>= 1
    ) {
      if (lo & 1) best = Math.max(best, this.starts[lo++]!);
      if (hi & 1) best = Math.max(best, this.starts[--hi]!);
    }
    return best;
  }
}

/** Findings that may concern a run by where they lie, one file: by reach, each indexed by its lines. */
interface FileFindings {
  list: Finding[];
  ownLines: LineIndex;
  job: LineIndex;
}

/** Ranks in `found` order fit below one severity step: severity * STEP - index. */
const STEP = 2 ** 32;
const rankOf = (f: Finding, index: number): number => SEVERITY_RANK[f.severity] * STEP - index;
const indexOfRank = (rank: number): number => Math.ceil(rank / STEP) * STEP - rank;

function indexByFile(found: readonly Finding[], tiedToSome: ReadonlySet<Finding>): Map<string, FileFindings> {
  const byFile = new Map<string, Finding[]>();
  for (const f of found) {
    if (tiedToSome.has(f) || reachOf(f) === 'none') continue;
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const out = new Map<string, FileFindings>();
  for (const [file, list] of byFile) {
    const last = list.reduce((n, f) => Math.max(n, f.span.endLine), 0);
    const indexed: FileFindings = { list, ownLines: new LineIndex(last), job: new LineIndex(last) };
    list.forEach((f, i) =>
      (reachOf(f) === 'job' ? indexed.job : indexed.ownLines).add(f.span.line, f.span.endLine, rankOf(f, i)),
    );
    out.set(file, indexed);
  }
  return out;
}

/**
 * The findings that concern a run seen from one place (`regions`, `names`), as the most severe of each
 * group in the order verdictOf reads them: those a rule tied to the run (`tied`), then, file by file,
 * those tied to no run that lie in the run's own regions, or its job's for a rule that reaches the job. A
 * finding tied to another run never does, however close it is: a step without a key next to one with a
 * key is that step's problem, not its neighbour's.
 */
function concerning(
  judge: Judge,
  tiedByRun: ReadonlyMap<string, readonly Finding[]>,
  byFile: ReadonlyMap<string, FileFindings>,
): Finding[] {
  const { regions, names } = judge;
  const wide = regions.job ? [...regions.own, regions.job] : regions.own;
  const out = names.flatMap((name) => tiedByRun.get(name) ?? []);
  for (const file of new Set(wide.map((r) => r.file))) {
    const indexed = byFile.get(file);
    if (!indexed) continue;
    let best = -Infinity;
    for (const r of regions.own)
      if (r.file === file)
        best = Math.max(best, indexed.ownLines.best(r.from, r.to), indexed.job.best(r.from, r.to));
    if (regions.job?.file === file) best = Math.max(best, indexed.job.best(regions.job.from, regions.job.to));
    if (best > -Infinity) out.push(indexed.list[indexOfRank(best)]!);
  }
  return out;
}

/**
 * One verdict per row: the most severe finding that concerns it (the first found among equals), then
 * `intended: reason` when the policy allowed its route, whatever else fired. When only findings the
 * confidence filter hides concern it (`hidden`), the most severe of those, as `hidden: rule (how sure)`.
 * `ok` only when nothing at all concerns it. A callee's row is judged by its callers' runs too: a finding
 * that concerns it only as a caller's (`callers'`: a caller's trigger, its token) says so and where it is,
 * `(via caller file:line)`, since the callee's own lines hold nothing of it.
 */
export function verdictOf(
  concern: readonly Finding[],
  intended: string | undefined,
  hidden: readonly Finding[] = [],
  callers: ReadonlySet<Finding> = new Set(),
  pathOf: (file: string) => string = (file) => file,
): string {
  const worstOf = (list: readonly Finding[]): Finding | undefined =>
    list.reduce<Finding | undefined>(
      (best, f) => (!best || SEVERITY_RANK[f.severity] > SEVERITY_RANK[best.severity] ? f : best),
      undefined,
    );
  const worst = worstOf(concern);
  const unshown = worst ? undefined : worstOf(hidden);
  const parts: string[] = [];
  if (worst)
    parts.push(
      `${worst.severity}: ${worst.rule}` +
        (callers.has(worst) ? `${VIA_CALLER}${pathOf(worst.file)}:${worst.span.line})` : ''),
    );
  // Every finding about it was left out by the confidence filter: not `ok`, and said how sure they were.
  else if (unshown) parts.push(`hidden: ${unshown.rule} (${unshown.confidence} confidence)`);
  if (intended !== undefined) parts.push(`intended: ${intended}`);
  return parts.length > 0 ? parts.join('; ') : 'ok';
}

/** How a callee row's verdict says the finding that decides it is a caller's: ` (via caller file:line)`. */
export const VIA_CALLER = ' (via caller ';

/** A run as one place sees it: the regions and names it is judged by. */
export interface Judge {
  regions: Regions;
  names: string[];
}

/**
 * A route row waiting for its verdict. A row usually has one judge, its own run; the row of a callee's run
 * that stands for several callers (passes/callers.ts) has its own and each caller's, so what concerns any
 * of those runs concerns it.
 */
export interface PendingVerdict {
  row: RouteRow;
  judges: Judge[];
}

export function pendingVerdict(row: RouteRow, inv: RoutedInvocation): PendingVerdict {
  return { row, judges: [{ regions: regionsOf(inv), names: runNames(inv) }] };
}

/**
 * Verdicts, last: a finding about a run can come from another file's turn (a wrapper scanned later), so
 * every row waits until all files have had theirs. `found` is every finding in the order found, which
 * decides between findings of the same severity; `shown` says which the report keeps (a confidence
 * filter); each row's `verdict` is filled in. `pathOf` names a caller's file from its repository's root, so
 * a verdict reads the same wherever the scan started.
 */
export function giveVerdicts(
  pending: readonly PendingVerdict[],
  found: readonly Finding[],
  tiedByRun: ReadonlyMap<string, readonly Finding[]>,
  tiedToSome: ReadonlySet<Finding>,
  shown: (f: Finding) => boolean = () => true,
  pathOf?: (file: string) => string,
): void {
  const byFile = indexByFile(found.filter(shown), tiedToSome);
  // Only when a filter hides some: what the row would show without it.
  const unfiltered = found.every(shown) ? undefined : indexByFile(found, tiedToSome);
  for (const { row, judges } of pending) {
    // The row's own run first, so among findings as severe its own is the verdict.
    const [own, ...callers] = judges.map((judge) => concerning(judge, tiedByRun, byFile).filter(shown));
    const concern = [...own!, ...callers.flat()];
    const hidden =
      concern.length > 0 || !unfiltered
        ? []
        : judges.flatMap((judge) => concerning(judge, tiedByRun, unfiltered)).filter((f) => !shown(f));
    const callersOnly = new Set(callers.flat().filter((f) => !own!.includes(f)));
    row.verdict = verdictOf(concern, row.intended ?? undefined, hidden, callersOnly, pathOf);
  }
}
