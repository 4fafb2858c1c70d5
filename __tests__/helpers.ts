import { expect } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFiles, type LoadProblem } from '../src/load.js';
import { scan, type Policy, type Report, type RouteRow } from '../src/scan.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, '__tests__', 'fixtures');
export const REPO = join(FIXTURES, 'repo');
/** ../shared/corpus beside the checkout; CORPUS_DIR moves it (.ci/run points it at nothing to test without). */
export const CORPUS = process.env.CORPUS_DIR ?? join(ROOT, '..', 'shared', 'corpus');

export function scanAt(cwd: string, paths: string[], policy?: Policy): Report & { problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const report = scan(loadFiles(paths, { cwd }, problems), policy);
  return { ...report, problems };
}

/** Scans one workflow of the fixture repository. */
export function scanWorkflow(name: string): Report {
  return scanAt(REPO, [`.github/workflows/${name}`]);
}

export function onlyRoute(report: Report): RouteRow {
  expect(report.routes).toHaveLength(1);
  return report.routes[0]!;
}
