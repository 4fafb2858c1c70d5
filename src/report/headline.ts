import type { Report } from '../scan.js';

/**
 * `9 Claude Code runs in 8 of 9 files`: how many runs, in how many of the files scanned. Every channel
 * counts the same way; the runner's own row is no run.
 */
export function runsInFiles(report: Report): string {
  const runs = report.routes.filter((r) => r.invocation !== 'runner');
  const files = `${report.files} file${report.files === 1 ? '' : 's'}`;
  if (runs.length === 0) return `No Claude Code runs in ${files}`;
  const inFiles = new Set(runs.map((r) => r.file)).size;
  return `${runs.length} Claude Code run${runs.length === 1 ? '' : 's'} in ${inFiles} of ${files}`;
}
