import { ruleById } from '../rules/index.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../types.js';
import { commandData, commandProperty } from './escape.js';

/** A workflow command that GitHub turns into an annotation at the finding's exact position. */
export function workflowCommand(f: Finding): string {
  const props = [
    `file=${commandProperty(f.file)}`,
    `line=${f.span.line}`,
    `endLine=${f.span.endLine}`,
    ...(f.span.line === f.span.endLine ? [`col=${f.span.column}`, `endColumn=${f.span.endColumn}`] : []),
    `title=${commandProperty(`claude-route-guard: ${f.rule}`)}`,
  ];
  return `::${f.severity} ${props.join(',')}::${commandData(f.message)}`;
}

/**
 * Annotations for a `run:` step, ranked and within GitHub's caps, with a notice for the rest that says
 * where they are all listed, and one for each of `notes`.
 */
export function formatGithub(
  findings: Finding[],
  listedIn = ALL_LISTED_IN_SUMMARY,
  notes: readonly { title: string; message: string }[] = [],
): string {
  // A notice slot is kept for each note, or GitHub's cap on notices would drop it.
  const { shown, note } = selectAnnotations(findings, notes.length, 0, listedIn);
  const lines = shown.map(workflowCommand);
  if (note) lines.push(`::notice::${commandData(note)}`);
  for (const extra of notes)
    lines.push(`::notice title=${commandProperty(extra.title)}::${commandData(extra.message)}`);
  return lines.join('\n');
}

/** GitHub keeps at most this many annotations of each severity per step, and this many per job. */
export const ANNOTATIONS_PER_SEVERITY = 10;
export const ANNOTATIONS_PER_JOB = 50;
/** Where a reader finds the findings past the caps, said at the end of the note that counts them. */
export const ALL_LISTED_IN_SUMMARY = 'the job summary lists them all';

/** Findings about the file itself (it cannot be read, an ignore comment) come after findings about a route. */
const aboutFile = (f: Finding): number => Number(ruleById(f.rule)?.annotation === 'file');

/**
 * The order annotations are spent in: the most severe first; within a severity, route findings before
 * findings about unreadable files (ten broken decoys cannot hide one real finding), and the first
 * finding of each rule before any repeat.
 */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const keyed = findings.map((f) => {
    const repeat = seen.has(`${f.severity}\0${f.rule}`);
    seen.add(`${f.severity}\0${f.rule}`);
    return { f, repeat };
  });
  // The sort is stable: findings that rank alike keep the order they were found in.
  keyed.sort(
    (a, b) =>
      SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] ||
      aboutFile(a.f) - aboutFile(b.f) ||
      Number(a.repeat) - Number(b.repeat),
  );
  return keyed.map((k) => k.f);
}

/**
 * The findings that get an annotation within GitHub's caps, and the note that counts the rest. One
 * notice slot and one job slot are kept for that note, or GitHub would drop the note itself; `reserved`
 * more notice slots and `reservedWarnings` warning slots are kept for the caller's own notes.
 */
export function selectAnnotations(
  findings: readonly Finding[],
  reserved = 0,
  reservedWarnings = 0,
  listedIn = ALL_LISTED_IN_SUMMARY,
): { shown: Finding[]; note?: string } {
  const ranked = rankFindings(findings);
  const fits = (notices: number): Finding[] => {
    const kept: Record<Severity, number> = { error: 0, warning: reservedWarnings, notice: notices };
    const count: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
    const shown: Finding[] = [];
    for (const f of ranked) {
      const cap = ANNOTATIONS_PER_SEVERITY - kept[f.severity];
      if (count[f.severity] >= cap || shown.length >= ANNOTATIONS_PER_JOB - notices - reservedWarnings)
        continue;
      count[f.severity]++;
      shown.push(f);
    }
    return shown;
  };
  const all = fits(reserved);
  if (all.length === findings.length) return { shown: all };
  const shown = fits(reserved + 1);
  return {
    shown,
    note: `${findings.length - shown.length} finding(s) are not annotated because GitHub shows at most ${ANNOTATIONS_PER_SEVERITY} per severity and ${ANNOTATIONS_PER_JOB} per job; ${listedIn}.`,
  };
}
