import { findInvocations, type AnalysisProblem } from './claude/invocations.js';
import type { SourceInput } from './load.js';
import type { Certainty } from './claude/precedence.js';
import { mayInvolveClaude, quotedMayInvolveClaude } from './claude/precheck.js';
import { routeOf } from './claude/routes.js';
import { describeSource, type Binding } from './workflow/values.js';
import { readIgnores, ignoreFor, misreadIgnores, type InlineIgnore } from './policy/ignores.js';
import { allowedBy, DEFAULT_POLICY, type Policy } from './policy/policy.js';
import { AllowUse } from './policy/unused-allow.js';
import { ALL_RULE_IDS, ENGINE_RULES, RULES } from './rules/index.js';
import { isRemoteFile } from './sources/address.js';
import { placeInRepository, remotePlace } from './sources/place.js';
import { mayCallRemoteCallee } from './sources/select.js';
import { credentialPlace, type RoutedInvocation } from './rules/rule.js';
import type { Finding, RouteKind, Severity } from './types.js';
import { regionsOf, runNames, verdictOf, type Regions } from './verdict.js';
import { checkFile, parseFile, type Inert, type Parsed } from './workflow/model.js';
import type { SourceFile } from './workflow/source.js';
import { unclosedExpressions } from './workflow/unclosed.js';

export interface CredentialRow {
  variable: string;
  level: string;
  source: string;
  file: string;
  line: number;
  column: number;
}

export interface RouteRow {
  file: string;
  job: string;
  step: string | null;
  line: number;
  column: number;
  invocation: string;
  label: string;
  route: RouteKind;
  credential: CredentialRow | null;
  shadowed: (CredentialRow & { route: RouteKind })[];
  endpoint: string | null;
  /**
   * For a cloud route: the login step or credential variable that says whose account pays, if the job has
   * one. Shown in the text and the summary; not a field of version 1 of the JSON (see report/json.ts).
   */
  identity: { label: string; file: string; line: number; column: number } | null;
  certainty: Certainty;
  reason: string | null;
  /** For an inferred row: what was not seen (a remote action, a script the engine cannot read). */
  opaque: string | null;
  /** Every route the run can take; more than one only when run time decides. */
  outcomes: RouteKind[];
  headless: boolean;
  /** The most severe finding that concerns the run, then `intended: reason` when the policy allows it. */
  verdict: string;
  /** The reason of the policy entry that declares this route intended. */
  intended: string | null;
  /** The Claude run inside a local wrapper. */
  via: { file: string; line: number; column: number; label: string } | null;
  /** Every hop from this row's position to the run, outermost first; empty for a run written here. */
  hops: { file: string; line: number; column: number; label: string }[];
}

export interface Report {
  version: 1;
  routes: RouteRow[];
  findings: Finding[];
  skipped: { file: string; reason: string }[];
  /** Local `uses: ./...` targets that are not in the repository, so their Claude runs are not checked. */
  unresolved: { file: string; line: number; column: number; message: string }[];
  files: number;
}

/** Findings that judge the route itself: a policy that declares the route intended silences them. */
const ROUTE_RULES = new Set([
  'subscription-token-in-ci',
  'headless-without-api-route',
  'third-party-endpoint',
  'secret-unavailable-on-trigger',
]);

function credentialRow(b: Binding): CredentialRow {
  const stored = b.variable === 'stored-login';
  const place = credentialPlace(b);
  return {
    variable: stored ? '~/.claude/.credentials.json' : b.variable,
    level: b.level,
    source: stored ? 'written by the workflow' : describeSource(b.value),
    file: place.file,
    line: place.span.line,
    column: place.span.column,
  };
}

/** The hops to a run, as related locations of a finding about it (minus the finding's own place). */
function hopsRelated(inv: RoutedInvocation, own: Finding): NonNullable<Finding['related']> {
  return inv.hops
    .map((h, i) => ({
      // A hop through a remote callee is named by its address, as placeInRepository names the others.
      file: isRemoteFile(h.file) ? remotePlace(h.file, h.span.line) : h.file,
      span: h.span,
      label: i === inv.hops.length - 1 ? `the run: ${h.label}` : `calls ${h.label}`,
    }))
    .filter((h) => h.file !== own.file || h.span.line !== own.span.line || h.span.column !== own.span.column);
}

interface PendingVerdict {
  row: RouteRow;
  regions: Regions;
  names: string[];
}

/**
 * A deep copy of a report entry. yaml's scalars and the substrings cut from them are views into their
 * file's whole text, so one stored label or message would keep every scanned file alive until the end;
 * structuredClone writes each string out afresh.
 */
const detached = <T>(entry: T): T => structuredClone(entry);

/** By code unit, not by locale: the same order on every machine, and no collator to load. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.span.line - b.span.line ||
    a.span.column - b.span.column ||
    compareText(a.rule, b.rule) ||
    compareText(a.message, b.message)
  );
}

export interface ScanOptions {
  /** Model every file, even those the raw-text pre-check proves inert: the reference the pre-check is tested against. */
  modelEveryFile?: boolean;
  /** Told each file's inline ignores as they are read, with the text they were read from. */
  sawIgnores?: (file: string, text: string, ignores: readonly InlineIgnore[]) => void;
  /** Ignores that do not apply to this run (a PR's own, where the base governs): neither used nor judged. */
  refusesIgnore?: (file: string, ignore: InlineIgnore) => boolean;
}

/** The engine: workflow files in, routes and findings out. Pure but for what `repo` reads. */
export function scan(
  inputs: Iterable<SourceInput>,
  policy: Policy = DEFAULT_POLICY,
  options: ScanOptions = {},
): Report {
  const report: Report = { version: 1, routes: [], findings: [], skipped: [], unresolved: [], files: 0 };
  // Each file follows its own repository's policy when it has one.
  let active = policy;
  const allowUse = new AllowUse();
  const severityOf = (rule: string, fallback: Severity): Severity | 'off' => active.rules[rule] ?? fallback;
  // One credential can affect several runs; it is one finding at one place.
  const placed = new Map<string, Finding>();
  const push = (
    rule: string,
    fallback: Severity,
    draft: Omit<Finding, 'rule' | 'severity'>,
  ): Finding | undefined => {
    const severity = severityOf(rule, fallback);
    if (severity === 'off') return undefined;
    const key = `${rule}\0${draft.file}\0${draft.span.line}\0${draft.span.column}`;
    const existing = placed.get(key);
    if (existing) return existing;
    const finding: Finding = { rule, severity, file: draft.file, span: draft.span, message: draft.message };
    if (draft.related && draft.related.length > 0) finding.related = draft.related;
    // Stored as a copy: a view into the file's text would keep the whole file alive until the end.
    const stored = detached(finding);
    report.findings.push(stored);
    placed.set(key, stored);
    return stored;
  };
  // Inline ignores by the file that holds them: a finding is ignored where it is reported, which for a
  // run behind a wrapper can be another file than the one being scanned.
  const ignoresByFile = new Map<string, InlineIgnore[]>();
  // Each scanned file with the policy it follows: its ignores are judged once every file has had its turn.
  const scannedIgnores: { file: string; policy: Policy }[] = [];
  const ignoresOf = (file: string, source: () => SourceFile | undefined): InlineIgnore[] => {
    let found = ignoresByFile.get(file);
    if (!found) {
      const text = source();
      found = text ? readIgnores(text) : [];
      if (text && found.length > 0) options.sawIgnores?.(file, text.text, found);
      const refuses = options.refusesIgnore;
      if (refuses) found = found.filter((ignore) => !refuses(file, ignore));
      ignoresByFile.set(file, found);
    }
    return found;
  };
  const pending: PendingVerdict[] = [];
  // The findings each run is tied to, by the run's name (see runNames), and every finding tied to any run.
  const tiedByRun = new Map<string, Finding[]>();
  const tiedToSome = new Set<Finding>();
  const unresolvedSeen = new Set<string>();

  for (const input of inputs) {
    report.files++;
    active = input.policy ?? policy;
    allowUse.sawFile(active, input.path, input.repo);
    if (input.tooLarge !== undefined) {
      push('parse-error', 'error', {
        file: input.file,
        span: { line: 1, column: 1, endLine: 1, endColumn: 1 },
        message: `This file is ${input.tooLarge} bytes, over the size limit, so it was not read. Raise max-file-size if it really is a workflow.`,
      });
      continue;
    }
    if (input.unreadable) {
      const { line, column, problem } = input.unreadable;
      push('parse-error', 'error', {
        file: input.file,
        span: { line, column, endLine: line, endColumn: column + 1 },
        message: `This file is ${problem}.`,
      });
      continue;
    }
    const check = (): Parsed | Inert =>
      options.modelEveryFile
        ? parseFile(input.file, input.text)
        : checkFile(input.file, input.text, {
            text: (text) =>
              mayInvolveClaude(text, input.repo.name) ||
              (input.repo.remote !== undefined && mayCallRemoteCallee(text)),
            quoted: (value) =>
              quotedMayInvolveClaude(value, input.repo.name) ||
              (input.repo.remote !== undefined && mayCallRemoteCallee(value)),
          });
    // A model is the same whether the file is scanned or called, so a callee scanned too is parsed once.
    const parsed = input.repo.model ? input.repo.model(input.file, input.text, check) : check();
    if (parsed.kind === 'inert') continue;
    if (parsed.kind === 'error') {
      push('parse-error', 'error', {
        file: input.file,
        span: parsed.span,
        message: `${parsed.message}. Fix the YAML; GitHub will reject this file too.`,
      });
      continue;
    }
    if (parsed.kind === 'other') {
      if (input.explicit) {
        push('parse-error', 'error', {
          file: input.file,
          span: parsed.source.span(0, 0),
          message: `This file is ${parsed.reason}, so there is nothing to check. Name a workflow (.github/workflows/*.yml) or an action.yml.`,
        });
      } else report.skipped.push(detached({ file: input.file, reason: parsed.reason }));
      continue;
    }
    for (const span of unclosedExpressions(parsed.source)) {
      push('parse-error', 'error', {
        file: input.file,
        span,
        message:
          'This `${{` expression is never closed (no `}}`), so GitHub will reject the workflow and run none of it. Close it: `${{ secrets.NAME }}`.',
      });
    }
    const problems: AnalysisProblem[] = [];
    let found;
    try {
      found = findInvocations(parsed, input.repo, problems);
    } catch (error) {
      // One file that exhausts the stack must not cost every other file its findings.
      if (!(error instanceof RangeError)) throw error;
      push('parse-error', 'error', {
        file: input.file,
        span: parsed.source.span(0, 0),
        message:
          'This file is nested too deeply to analyse, so its Claude runs are not checked. Simplify it.',
      });
      continue;
    }
    const invocations: RoutedInvocation[] = found.map((inv) => ({ ...inv, route: routeOf(inv) }));
    const intended = new Map<RoutedInvocation, string>();
    for (const inv of invocations) {
      // Every run is placed in the scanned file (a wrapper's at the caller's `uses:`), so it goes by the
      // scanned file's path from the root; the report keeps naming it from the current folder.
      allowUse.sawRun(active, input.path, inv.job);
      const allow = allowedBy(active, input.path, inv.job, inv.route.kind);
      if (allow) {
        intended.set(inv, allow.reason);
        allowUse.used(allow);
      }
    }
    if (!ignoresByFile.has(parsed.file)) scannedIgnores.push({ file: parsed.file, policy: active });
    ignoresOf(parsed.file, () => parsed.source);
    const sourceOf = (file: string): SourceFile | undefined =>
      file === parsed.file ? parsed.source : input.repo.source?.(file);
    for (const rule of RULES) {
      for (const found of rule.check({ doc: parsed, invocations })) {
        const draft = placeInRepository(found, invocations);
        if (!draft) continue;
        if (draft.invocation && intended.has(draft.invocation) && ROUTE_RULES.has(rule.id)) continue;
        const ignore = ignoreFor(
          ignoresOf(draft.file, () => sourceOf(draft.file)),
          rule.id,
          draft.span,
        );
        if (ignore) {
          ignore.used = true;
          continue;
        }
        const finding = push(rule.id, draft.severity ?? rule.severity, draft);
        const about = [...(draft.invocation ? [draft.invocation] : []), ...(draft.concerns ?? [])];
        if (finding && about.length > 0) {
          tiedToSome.add(finding);
          for (const inv of about) {
            const name = runNames(inv)[0]!;
            tiedByRun.set(name, [...(tiedByRun.get(name) ?? []), finding]);
          }
        }
        if (finding && draft.invocation) {
          const hops = hopsRelated(draft.invocation, finding);
          const known = new Set(
            (finding.related ?? []).map((r) => `${r.file}:${r.span.line}:${r.span.column}`),
          );
          const added = hops.filter((h) => !known.has(`${h.file}:${h.span.line}:${h.span.column}`));
          if (added.length > 0) finding.related = [...(finding.related ?? []), ...detached(added)];
        }
      }
    }
    for (const misread of misreadIgnores(parsed.source)) {
      push('malformed-ignore', ENGINE_RULES['malformed-ignore']!.severity, {
        file: parsed.file,
        span: misread.span,
        message: misread.message,
      });
    }
    for (const p of problems) {
      if (p.overBudget) {
        push('parse-error', 'error', { file: p.file, span: p.span, message: `${p.message}.` });
        continue;
      }
      const key = `${p.file}:${p.span.line}:${p.span.column}`;
      if (unresolvedSeen.has(key)) continue;
      unresolvedSeen.add(key);
      report.unresolved.push(
        detached({ file: p.file, line: p.span.line, column: p.span.column, message: p.message }),
      );
    }
    for (const inv of invocations) {
      const row: RouteRow = {
        file: inv.file,
        job: inv.job,
        step: inv.step,
        line: inv.span.line,
        column: inv.span.column,
        invocation: inv.kind,
        label: inv.label,
        route: inv.route.kind,
        credential: inv.route.winner ? credentialRow(inv.route.winner.origin) : null,
        shadowed: inv.route.shadowed.map((c) => ({ ...credentialRow(c.origin), route: c.kind })),
        endpoint: inv.route.endpoint,
        identity: inv.route.identity ?? null,
        certainty: inv.route.certainty,
        opaque: inv.opaque ?? null,
        outcomes: inv.route.outcomes,
        reason: inv.route.reason ?? (inv.notes.length > 0 ? inv.notes.join('; ') : null),
        headless: inv.headless,
        verdict: 'ok',
        intended: intended.get(inv) ?? null,
        via: inv.inner
          ? {
              file: inv.inner.file,
              line: inv.inner.span.line,
              column: inv.inner.span.column,
              label: inv.inner.label,
            }
          : null,
        hops: inv.hops.map((h) => ({
          file: h.file,
          line: h.span.line,
          column: h.span.column,
          label: h.label,
        })),
      };
      // The stored copy is the one the verdict pass fills in.
      const stored = detached(row);
      report.routes.push(stored);
      pending.push({ row: stored, regions: regionsOf(inv), names: runNames(inv) });
    }
  }
  for (const { file, policy: owner } of scannedIgnores) {
    active = owner;
    for (const ignore of ignoresByFile.get(file) ?? []) {
      // An ignore naming no rule, or only rules this version does not know, is reported as malformed
      // (every() holds for empty brackets), not again as unused or without a reason.
      if (ignore.rules.every((r) => !ALL_RULE_IDS.includes(r))) continue;
      if (!ignore.reason) {
        push('ignore-without-reason', ENGINE_RULES['ignore-without-reason']!.severity, {
          file,
          span: ignore.span,
          message: `This ignore of ${ignore.rules.join(', ')} gives no reason; say why after the bracket so the next reader knows it is deliberate.`,
        });
      }
      if (!ignore.used) {
        push('unused-ignore', ENGINE_RULES['unused-ignore']!.severity, {
          file,
          span: ignore.span,
          message: `This ignore of ${ignore.rules.join(', ')} matches no finding on this line or the next; remove it.`,
        });
      }
    }
  }
  for (const { policy: owner, draft } of allowUse.unused()) {
    active = owner;
    push('unused-allow', ENGINE_RULES['unused-allow']!.severity, draft);
  }
  // Verdicts last: a finding about a run can come from another file's turn (a wrapper scanned later).
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const { row, regions, names } of pending) {
    const tied = names.flatMap((name) => tiedByRun.get(name) ?? []);
    row.verdict = verdictOf(regions, tied, tiedToSome, byFile, row.intended ?? undefined);
  }
  report.findings.sort(compareFindings);
  return report;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export { DEFAULT_POLICY, type Policy };
