import { isCloudRoute } from '../claude/identity.js';
import { sourceWords } from '../workflow/values.js';
import type { Report, RouteRow } from '../scan.js';
import { runPlaces } from './run-places.js';

/**
 * `9 Claude Code runs in 8 of 9 files`: how many runs (each place a run is written once, however many
 * jobs call it), in how many of the files scanned. Every channel counts the same way; the runner's own
 * row is no run.
 */
export function runsInFiles(report: Report): string {
  const runs = runPlaces(report.routes);
  const files = filesScanned(report);
  if (runs === 0) return `No Claude Code runs in ${files}`;
  const placed = report.routes.filter((r) => r.invocation !== 'runner');
  const inFiles = new Set(placed.map((r) => r.file)).size;
  // A run reached from several places, or given several routes, has a row for each: say so, or the
  // table's rows look like a miscount.
  const rows = placed.length === runs ? '' : `, shown as ${placed.length} rows (one per place and route)`;
  return `${runs} Claude Code run${runs === 1 ? '' : 's'} in ${inFiles} of ${files}${rows}`;
}

/**
 * `; 3 finding(s) hidden below high confidence (2 medium, 1 low)`: what a confidence filter left out, said
 * after the counts of what is shown, so a filtered report never reads as a clean one. Empty without a filter.
 */
export function hiddenWords(report: Report): string {
  const said = hiddenSentence(report);
  return said ? `; ${said}` : '';
}

/**
 * `3 finding(s) hidden below high confidence (2 medium, 1 low)`, or undefined without a filter: every
 * channel says it in these words (the counts line, the compact form's last line, a SARIF notification).
 */
export function hiddenSentence(report: Pick<Report, 'hidden'>): string | undefined {
  const hidden = report.hidden;
  if (!hidden) return undefined;
  const by = Object.entries(hidden.byConfidence)
    .filter(([, n]) => n > 0)
    .map(([confidence, n]) => `${n} ${confidence}`);
  return `${hidden.findings} finding(s) hidden below ${hidden.minConfidence} confidence (${by.join(', ')})`;
}

/** `9 files scanned`, and how many of them could not involve Claude and were not parsed, when any. */
function filesScanned(report: Report): string {
  const files = `${report.files} file${report.files === 1 ? '' : 's'} scanned`;
  const n = report.notParsed;
  if (n === 0) return files;
  return `${files}; ${n} could not involve Claude and ${n === 1 ? 'was' : 'were'} not parsed`;
}

/**
 * The endpoint of a row as a reader takes it: a URL as it is, and where the file takes it from
 * (`secrets.GATEWAY_URL`, an expression) said as such rather than as if it were the address.
 */
export function endpointWords(endpoint: string): string {
  return /^https?:\/\/|^an unparseable /.test(endpoint) ? endpoint : `the URL from ${sourceWords(endpoint)}`;
}

/** Said for a cloud route whose job names no login step or credential variable. */
export const NO_CLOUD_IDENTITY =
  'no cloud login step or credential variable in the job: it signs in only on a runner with a cloud identity of its own';

/**
 * Whether a row is a cloud route whose account the reader should see named, found or not. A composite
 * action read on its own has no job: the rows of the jobs that call it say theirs.
 */
export function showsIdentity(r: RouteRow): boolean {
  return (
    isCloudRoute(r.route) && r.certainty !== 'unknown' && r.invocation !== 'runner' && r.job !== '(composite)'
  );
}

/** A place a row names: its file, line and column. */
type Place = Pick<RouteRow, 'file' | 'line' | 'column'>;

/**
 * The inner run's place of each row that would otherwise look like another: rows at one place of one job
 * that reach different runs (a run and its fallback inside a composite called once), each told apart by
 * the run it reaches. Rows alone at their place, or reaching the same run, need nothing more.
 */
export function innerPlaces(routes: readonly RouteRow[]): Map<RouteRow, Place> {
  const byPlace = new Map<string, RouteRow[]>();
  for (const r of routes) {
    const key = JSON.stringify([r.file, r.line, r.column, r.job]);
    byPlace.set(key, [...(byPlace.get(key) ?? []), r]);
  }
  const out = new Map<RouteRow, Place>();
  for (const rows of byPlace.values()) {
    const runs = new Set(rows.map((r) => (r.via ? `${r.via.file}:${r.via.line}:${r.via.column}` : '')));
    if (runs.size < 2) continue;
    for (const r of rows) if (r.via) out.set(r, r.via);
  }
  return out;
}
