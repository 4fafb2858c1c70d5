import { stepLabel } from '../claude/invocations.js';
import type { Finding } from '../types.js';
import type { Workflow } from '../workflow/model.js';
import { callersOf, nameOf, type PlacedRow } from './callers.js';

/** A job of a workflow by its lines, from its key to the next job's (as verdicts read it), and its steps. */
export interface JobLines {
  id: string;
  from: number;
  to: number;
  steps: { label: string; from: number; to: number }[];
}

/** Where each job of a workflow lies, in the order of its lines. */
export function jobLines(workflow: Workflow): JobLines[] {
  const jobs = [...workflow.jobs].sort((a, b) => a.idSpan.line - b.idSpan.line);
  return jobs.map((job, i) => ({
    id: job.id,
    from: job.idSpan.line,
    to: i + 1 < jobs.length ? jobs[i + 1]!.idSpan.line - 1 : Number.MAX_SAFE_INTEGER,
    steps: job.steps.map((s) => ({ label: stepLabel(s), from: s.span.line, to: s.span.endLine })),
  }));
}

/** A job a finding belongs to: its id, its step (null for the job as a whole) and its file. */
interface Owner {
  file: string;
  job: string;
  step: string | null;
}

/**
 * The jobs that run each run, by the run's name: a run written in a job is that job's; a run in a file that
 * only runs when called (a composite, a reusable workflow without triggers of its own) is its callers'
 * jobs, each at its `uses:` step, and nobody's when no caller in the scan reaches it. By file, the same
 * for every line of a file that only runs when called: whoever calls its runs runs the file.
 */
function owners(rows: readonly PlacedRow[]): { byRun: Map<string, Owner[]>; byFile: Map<string, Owner[]> } {
  const callers = callersOf(rows);
  const byRun = new Map<string, Owner[]>();
  const byFile = new Map<string, Owner[]>();
  const add = (map: Map<string, Owner[]>, key: string, more: Owner[]): void => {
    map.set(key, [...(map.get(key) ?? []), ...more]);
  };
  for (const placed of rows) {
    const of = placed.callOnly ? (callers.get(placed) ?? []).map((c) => c.row) : [placed.row];
    const found = of.map(({ file, job, step }) => ({ file, job, step }));
    add(byRun, nameOf(placed), found);
    if (placed.callOnly) add(byFile, placed.row.file, found);
  }
  return { byRun, byFile };
}

function ownerAt(file: string, jobs: readonly JobLines[] | undefined, line: number): Owner | undefined {
  const job = jobs?.find((j) => j.from <= line && line <= j.to);
  if (!job) return undefined;
  const step = job.steps.find((s) => s.from <= line && line <= s.to);
  return { file, job: job.id, step: step?.label ?? null };
}

/** The one job all `owners` name, with their step when they share one; undefined for none or several. */
function oneJob(owners: readonly Owner[]): Owner | undefined {
  const first = owners[0];
  if (!first || owners.some((o) => o.file !== first.file || o.job !== first.job)) return undefined;
  return { ...first, step: owners.every((o) => o.step === first.step) ? first.step : null };
}

/**
 * Gives each finding the job (and step) it belongs to, so a reader can tie it to a job without parsing its
 * message: the job whose lines hold it, else the one job of the runs it is about (a trigger or a
 * workflow-level credential that concerns one job's runs; a composite's or callee's run, the job of its
 * caller), else, for a line of a file that only runs when called, the one job that calls it. A finding
 * about runs of several jobs, or in a callee no job in the scan calls, has none; its `related` places name
 * them. `jobFile` says the job's file when it is not the finding's own.
 */
export function placeInJobs(
  findings: readonly Finding[],
  tiedByRun: ReadonlyMap<string, readonly Finding[]>,
  rows: readonly PlacedRow[],
  jobs: ReadonlyMap<string, readonly JobLines[]>,
): void {
  const { byRun, byFile } = owners(rows);
  const runsOf = new Map<Finding, string[]>();
  for (const [run, tied] of tiedByRun) for (const f of tied) runsOf.set(f, [...(runsOf.get(f) ?? []), run]);
  for (const f of findings) {
    const runs = runsOf.get(f) ?? [];
    const owner =
      ownerAt(f.file, jobs.get(f.file), f.span.line) ??
      oneJob(runs.length > 0 ? runs.flatMap((run) => byRun.get(run) ?? []) : (byFile.get(f.file) ?? []));
    if (!owner) continue;
    f.job = owner.job;
    f.step = owner.step;
    if (owner.file !== f.file) f.jobFile = owner.file;
  }
}
