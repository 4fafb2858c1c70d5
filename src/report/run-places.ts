import type { RouteRow } from '../types.js';

/**
 * How many Claude runs a report holds, as every channel counts them (the text table, the job summary and
 * so the PR comment, the check run's title): each place a run is written once, however many jobs call
 * it. A row's run is where its hops end (the callee's line for a job that calls a reusable workflow or a
 * local action), else its own place; the runner's own row is no run of the files.
 */
export function runPlaces(routes: readonly RouteRow[]): number {
  const places = new Set<string>();
  for (const r of routes) {
    if (r.invocation === 'runner') continue;
    const run = r.hops[r.hops.length - 1] ?? r;
    places.add(JSON.stringify([run.file, run.line, run.column]));
  }
  return places.size;
}
