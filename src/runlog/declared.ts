import type { RouteRow } from '../scan.js';
import type { RouteKind, Span } from '../types.js';
import type { Job, Step, Workflow } from '../workflow/model.js';
import type { Declaration } from './verify.js';

/**
 * What the files declare for the run behind each execution file: the static engine's row for the Claude
 * step of this job. The step is the one whose `id` the guard step's `execution-file` expression names
 * (`${{ steps.claude.outputs.execution_file }}`, line by line for several files), else the job's only
 * Claude step, else the one `expected-route` names. Pure: the parsed workflow and its rows go in.
 */

/** What each execution file was declared as, and what could not be matched, in a sentence. */
export interface Declarations {
  byFile: Declaration[];
  notes: string[];
}

const OUTPUT = /steps\.([A-Za-z_][\w-]*)\.outputs\.execution_file/;

/** The guard step that reads execution files: the running step when GITHUB_ACTION names it, else the first. */
function guardStep(job: Job, action: string | undefined): Step | undefined {
  const guards = job.steps.filter((s) => s.with.some((w) => w.name === 'execution-file'));
  return guards.find((s) => s.id?.text === action) ?? guards[0];
}

/** The step id behind each line of the `execution-file` input, as its expression names it. */
function stepIdsPerFile(guard: Step | undefined): (string | undefined)[] {
  const value = guard?.with.find((w) => w.name === 'execution-file')?.value.text ?? '';
  return value
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => OUTPUT.exec(line)?.[1]);
}

/** The route the files declare for a row: its route, or for an undecided row the credential they name first. */
export function rowRoute(row: RouteRow): RouteKind | undefined {
  if (row.route !== 'unknown') return row.route;
  return row.outcomes[0];
}

/** Every route a row leaves in play: the winner, what it shadows, every outcome. */
function rowKinds(row: RouteRow): RouteKind[] {
  return [...row.outcomes, ...row.shadowed.map((s) => s.route), row.route];
}

/** The span of a row's place: its `uses:` value, or the word that runs Claude in a `run:`. */
export function rowSpan(row: RouteRow, lines: readonly string[]): Span {
  const rest = (lines[row.line - 1] ?? '').slice(row.column - 1);
  const word = /^(?:"[^"]*"|'[^']*'|[^\s'"]+)/.exec(rest)?.[0] ?? ' ';
  return { line: row.line, column: row.column, endLine: row.line, endColumn: row.column + word.length };
}

export interface DeclaredInput {
  workflow: Workflow;
  job: Job;
  /** The rows of this workflow's scan. */
  rows: RouteRow[];
  /** How many execution files the input names. */
  files: number;
  /** GITHUB_ACTION: the running step's id when it has one. */
  action: string | undefined;
  expectedRoute: RouteKind | undefined;
  /** Routes the runner's own credentials select (job-level and `$GITHUB_ENV` variables, stored logins). */
  runnerKinds: readonly RouteKind[];
}

export function declarations(input: DeclaredInput): Declarations {
  const { workflow, job, expectedRoute } = input;
  const rows = input.rows.filter(
    (r) => r.file === workflow.file && r.job === job.id && r.invocation !== 'runner',
  );
  const lines = workflow.source.text.split('\n');
  const ids = stepIdsPerFile(guardStep(job, input.action));
  const notes: string[] = [];
  const rowOfStep = (id: string | undefined): RouteRow | undefined => {
    const step = job.steps.find((s) => id !== undefined && s.id?.text === id);
    return step && rows.find((r) => r.line >= step.span.line && r.line <= step.span.endLine);
  };
  const single = new Set(ids.filter((id) => id !== undefined)).size === 1 ? ids.find((id) => id) : undefined;
  const byFile = Array.from({ length: input.files }, (_, i): Declaration => {
    const id = ids.length === input.files ? ids[i] : single;
    let row = rowOfStep(id);
    if (!row && expectedRoute)
      row = rows.find((r) => rowRoute(r) === expectedRoute || r.outcomes.includes(expectedRoute)) ?? rows[0];
    if (!row && rows.length === 1) row = rows[0];
    const inPlay = [
      ...new Set([
        ...(row ? rowKinds(row) : []),
        ...(expectedRoute ? [expectedRoute] : []),
        ...input.runnerKinds,
      ]),
    ];
    const place = row
      ? { file: workflow.file, span: rowSpan(row, lines) }
      : { file: workflow.file, span: job.idSpan };
    const step = row?.step ? { step: `${job.id} / ${row.step}` } : {};
    if (expectedRoute)
      return {
        declared: { route: expectedRoute, declaredBy: 'Input expected-route gives' },
        inPlay,
        place,
        ...step,
      };
    const route = row && rowRoute(row);
    if (!row || !route) {
      notes.push(
        rows.length === 0
          ? `Job \`${job.id}\` of ${workflow.file} has no Claude step, so execution file ${i + 1} is shown without a declared route to compare.`
          : `Job \`${job.id}\` has ${rows.length} Claude steps and execution file ${i + 1} does not say whose it is: pass \`\${{ steps.<id>.outputs.execution_file }}\` or set expected-route.`,
      );
      return { inPlay, place, ...step };
    }
    const declared = {
      route,
      ...(row.credential ? { variable: row.credential.variable } : {}),
      declaredBy: `Job \`${job.id}\` declares`,
    };
    return { declared, inPlay, place, ...step };
  });
  return { byFile, notes };
}
