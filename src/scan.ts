import { creditFile, newScanBudget, type ScanBudget } from './claude/invocations.js';
import type { SourceInput } from './load.js';
import { AllowUse } from './policy/unused-allow.js';
import { DEFAULT_POLICY, type Policy } from './policy/policy.js';
import { parseError } from './rules/engine.js';
import { RULES } from './rules/index.js';
import { allowFindings, fileEngineFindings, ignoreFindings } from './passes/engine.js';
import { rowsPerPlace, runsOnlyWhenCalled, settledByCallers, type PlacedRow } from './passes/callers.js';
import { detached, FindingBook } from './passes/findings.js';
import { jobLines, placeInJobs, type JobLines } from './passes/finding-jobs.js';
import { withoutCredentials } from './passes/shown.js';
import { IgnoreBook, type IgnoreOptions } from './passes/ignores.js';
import { parse } from './passes/parse.js';
import { routeRow } from './passes/rows.js';
import { routeRuns } from './passes/routes.js';
import { ruleFindings } from './passes/rules.js';
import { giveVerdicts, pendingVerdict } from './passes/verdict.js';
import {
  CONFIDENCES,
  sureEnough,
  type Confidence,
  type Finding,
  type HiddenFindings,
  type Report,
  type Severity,
} from './types.js';

export interface ScanOptions extends IgnoreOptions {
  /** Model every file, even those the raw-text pre-check proves inert: the reference the pre-check is tested against. */
  modelEveryFile?: boolean;
  /** Report only findings at least this sure (default: every finding). */
  minConfidence?: Confidence;
}

/** What every file's turn adds to, and the passes at the end read. */
interface Scanned {
  findings: FindingBook;
  ignores: IgnoreBook;
  allowUse: AllowUse;
  rows: PlacedRow[];
  skipped: Report['skipped'];
  /** By place: a reference several files make is one entry. */
  unresolved: Map<string, Report['unresolved'][number]>;
  /** Files the raw text proved unable to involve Claude, which were not parsed. */
  notParsed: number;
  /** What every file's walk draws on: each file adds its share. */
  budget: ScanBudget;
  /** Each workflow's jobs by their lines, for the findings inside them. */
  jobs: Map<string, JobLines[]>;
}

/**
 * One file's turn, under the policy it follows: parse; routes and allow entries; rules with placement and
 * ignores; its engine findings. Its rows wait for their verdicts, which need every file's findings.
 */
function scanFile(input: SourceInput, policy: Policy, into: Scanned, options: ScanOptions): void {
  into.allowUse.sawFile(policy, input.path, input.repo);
  const { doc, errors, skipped, notParsed } = parse(input, options.modelEveryFile);
  if (notParsed) into.notParsed++;
  for (const error of errors) into.findings.record(parseError, error, policy);
  if (skipped !== undefined) into.skipped.push(detached({ file: input.file, reason: skipped }));
  if (!doc) return;
  creditFile(into.budget);
  if (doc.kind === 'workflow') into.jobs.set(doc.file, jobLines(doc));
  const routed = routeRuns(doc, input.repo, policy, input.path, into.budget);
  if (routed.tooDeep) {
    into.findings.record(parseError, routed.tooDeep, policy);
    return;
  }
  for (const inv of routed.runs)
    into.allowUse.sawRun(policy, input.path, inv.job, inv.route.kind, inv.route.outcomes);
  for (const entry of routed.allowed) into.allowUse.used(entry);
  into.ignores.scannedFile(doc.file, doc.source, policy);
  for (const { rule, draft } of ruleFindings(doc, routed.runs, routed.intended, input.repo, into.ignores))
    into.findings.record(rule, draft, policy);
  const engine = fileEngineFindings(doc, routed.problems);
  for (const { rule, draft } of engine.findings) into.findings.record(rule, draft, policy);
  for (const entry of engine.unresolved) {
    const key = `${entry.file}:${entry.line}:${entry.column}`;
    if (!into.unresolved.has(key)) into.unresolved.set(key, detached(entry));
  }
  const callOnly = runsOnlyWhenCalled(doc);
  const shown = new Set<string>();
  for (const inv of routed.runs) {
    const row = routeRow(inv, routed.intended.get(inv));
    // The same run reached again by another path through the same calls says nothing new.
    const key = JSON.stringify({ ...row, hops: undefined });
    if (shown.has(key)) continue;
    shown.add(key);
    // The stored copy is the one the verdict pass fills in.
    const pending = pendingVerdict(detached(row), inv);
    const settles = inv.hops.length > 0 ? RULES.filter((r) => r.settledByCaller?.(inv)).map((r) => r.id) : [];
    into.rows.push({ ...pending, callOnly, policy, path: input.path, settles });
  }
}

/**
 * The engine: workflow files in, routes and findings out, pure but for what each file's `repo` reads.
 * Each file has its turn (scanFile) under its own repository's policy when it has one; then a callee's
 * rows take the routes its callers give it (one row per place and route); then come the engine findings
 * that need every file (ignores and allow entries that matched nothing), then the verdicts.
 */
export function scan(
  inputs: Iterable<SourceInput>,
  policy: Policy = DEFAULT_POLICY,
  options: ScanOptions = {},
): Report {
  const into: Scanned = {
    findings: new FindingBook(),
    ignores: new IgnoreBook(options),
    allowUse: new AllowUse(),
    rows: [],
    skipped: [],
    unresolved: new Map(),
    notParsed: 0,
    budget: newScanBudget(),
    jobs: new Map(),
  };
  let files = 0;
  /** Each file's path from its repository's root, by the path reports use. */
  const fromRoot = new Map<string, string>();
  for (const input of inputs) {
    files++;
    fromRoot.set(input.file, input.path);
    scanFile(input, input.policy ?? policy, into, options);
  }
  into.findings.dropSettled(settledByCallers(into.rows));
  const rows = rowsPerPlace(into.rows, into.allowUse);
  for (const { rule, draft, policy: owner } of [
    ...ignoreFindings(into.ignores),
    ...allowFindings(into.allowUse),
  ])
    into.findings.record(rule, draft, owner);
  const { findings } = into;
  const least = options.minConfidence ?? 'low';
  giveVerdicts(
    rows,
    findings.inOrderFound(),
    findings.tiedByRun,
    findings.tiedToSome,
    (f) => sureEnough(f.confidence, least),
    (file) => fromRoot.get(file) ?? file,
  );
  const hidden = least === 'low' ? undefined : withHidden(undefined, least, findings.keepAtLeast(least));
  placeInJobs(findings.inOrderFound(), findings.tiedByRun, into.rows, into.jobs);
  return withoutCredentials({
    version: 1,
    routes: rows.map((r) => r.row),
    findings: findings.sorted(),
    skipped: into.skipped,
    unresolved: [...into.unresolved.values()],
    files,
    notParsed: into.notParsed,
    ...(hidden ? { hidden } : {}),
  });
}

/**
 * The findings a confidence filter left out, counted by confidence, added to those `counted` already holds:
 * the runner's own findings are filtered after the scan, and count with the scan's.
 */
export function withHidden(
  counted: HiddenFindings | undefined,
  least: Confidence,
  hidden: readonly Finding[],
): HiddenFindings {
  const byConfidence: HiddenFindings['byConfidence'] = { ...counted?.byConfidence };
  for (const c of CONFIDENCES) if (!sureEnough(c, least)) byConfidence[c] ??= 0;
  for (const f of hidden) byConfidence[f.confidence] = (byConfidence[f.confidence] ?? 0) + 1;
  return { minConfidence: least, findings: (counted?.findings ?? 0) + hidden.length, byConfidence };
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export type { CredentialRow, Report, RouteRow } from './types.js';
export { DEFAULT_POLICY, type Policy };
