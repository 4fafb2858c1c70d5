import type { Policy } from '../policy/policy.js';
import type { Draft, RoutedInvocation, RuleTraits } from '../rules/rule.js';
import { isRemoteFile } from '../sources/address.js';
import { cappedSeverity, draftConfidence, higherOf, withRestsOn } from '../rules/confidence.js';
import { SEVERITY_RANK, sureEnough, type Confidence, type Finding } from '../types.js';
import { remotePlace } from './place.js';
import { runNames } from './verdict.js';

/**
 * A deep copy of a report entry. yaml's scalars and the substrings cut from them are views into their
 * file's whole text, so one stored label or message would keep every scanned file alive until the end;
 * structuredClone writes each string out afresh.
 */
export const detached = <T>(entry: T): T => structuredClone(entry);

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

const placeKey = (p: { file: string; span: { line: number; column: number } }): string =>
  `${p.file}:${p.span.line}:${p.span.column}`;

/**
 * The report's findings, one per rule and place: one credential can affect several runs, and it is one
 * finding at one place, tied to each of them and listing the hops to each. Kept in the order they were
 * found (the verdicts read them so) and stored as copies, never as views into a file's text.
 */
export class FindingBook {
  private readonly placed = new Map<string, Finding>();
  private found: Finding[] = [];
  /** The findings each run is tied to, by the run's name (see runNames). */
  readonly tiedByRun = new Map<string, Finding[]>();
  /** Every finding tied to some run. */
  readonly tiedToSome = new Set<Finding>();

  /**
   * Records a draft of `rule` at the severity `policy` gives the rule (else the draft's, else the rule's
   * own), capped at warning when the draft is not sure (see draftConfidence); nothing when the policy
   * turns the rule off. A draft about runs (`invocation`, `concerns`) ties the finding to them, and the
   * hops to its `invocation` join its related places. A second draft at the same place can make the
   * finding surer, and so more severe: one run the files decide is enough.
   */
  record(rule: RuleTraits, draft: Draft, policy: Policy): void {
    const rated = policy.rules[rule.id] ?? draft.severity ?? rule.severity;
    if (rated === 'off') return;
    const sureness = draftConfidence(rule, draft);
    const confidence = sureness.confidence;
    const severity = cappedSeverity(rated, confidence);
    const key = `${rule.id}\0${draft.file}\0${draft.span.line}\0${draft.span.column}`;
    let finding = this.placed.get(key);
    if (finding) {
      // Surer now: what the finding rests on is the surer run's.
      if (higherOf(finding.confidence, confidence) !== finding.confidence)
        finding.message = detached(withRestsOn(draft.message, sureness));
      finding.confidence = higherOf(finding.confidence, confidence);
      if (SEVERITY_RANK[severity] > SEVERITY_RANK[finding.severity]) finding.severity = severity;
    } else {
      const made: Finding = {
        rule: rule.id,
        severity,
        confidence,
        file: draft.file,
        span: draft.span,
        message: withRestsOn(draft.message, sureness),
      };
      if (draft.related && draft.related.length > 0) made.related = draft.related;
      finding = detached(made);
      this.found.push(finding);
      this.placed.set(key, finding);
    }
    const about = [...(draft.invocation ? [draft.invocation] : []), ...(draft.concerns ?? [])];
    if (about.length > 0) {
      this.tiedToSome.add(finding);
      for (const inv of about) {
        const name = runNames(inv)[0]!;
        this.tiedByRun.set(name, [...(this.tiedByRun.get(name) ?? []), finding]);
      }
    }
    if (draft.invocation) {
      const known = new Set((finding.related ?? []).map(placeKey));
      const added = hopsRelated(draft.invocation, finding).filter((h) => !known.has(placeKey(h)));
      if (added.length > 0) finding.related = [...(finding.related ?? []), ...detached(added)];
    }
  }

  /**
   * Forgets each finding of `rule` tied to the run named `run` when its callers settled it for every run it
   * is tied to (passes/callers.ts): one finding at one place can be about a caller's run as well.
   */
  dropSettled(settled: readonly { rule: string; run: string }[]): void {
    const isSettled = new Set(settled.map(({ rule, run }) => `${rule}\0${run}`));
    const runsOf = new Map<Finding, string[]>();
    for (const [run, tied] of this.tiedByRun)
      for (const f of tied) runsOf.set(f, [...(runsOf.get(f) ?? []), run]);
    const moot = new Set(
      settled.flatMap(({ rule, run }) =>
        (this.tiedByRun.get(run) ?? []).filter(
          (f) => f.rule === rule && runsOf.get(f)!.every((r) => isSettled.has(`${rule}\0${r}`)),
        ),
      ),
    );
    if (moot.size > 0) this.forget((f) => !moot.has(f));
  }

  /**
   * Forgets every finding less sure than `least`, once all are recorded (a later draft can make one
   * surer), and returns them: what is not reported must not fail the build, and is counted instead.
   */
  keepAtLeast(least: Confidence): Finding[] {
    const hidden = this.found.filter((f) => !sureEnough(f.confidence, least));
    this.forget((f) => sureEnough(f.confidence, least));
    return hidden;
  }

  /** Keeps only the findings `kept` says to, everywhere the book holds them. */
  private forget(kept: (f: Finding) => boolean): void {
    this.found = this.found.filter(kept);
    for (const [key, f] of this.placed) if (!kept(f)) this.placed.delete(key);
    for (const [name, tied] of this.tiedByRun) this.tiedByRun.set(name, tied.filter(kept));
    for (const f of this.tiedToSome) if (!kept(f)) this.tiedToSome.delete(f);
  }

  /** Every finding, in the order found. */
  inOrderFound(): readonly Finding[] {
    return this.found;
  }

  /** Every finding by file, line, column, rule and message: the report's order. */
  sorted(): Finding[] {
    return [...this.found].sort(compareFindings);
  }
}
