import { expect } from '@jest/globals';
import { join } from 'node:path';
import type { Report, RouteRow } from '../src/scan.js';
import { FIXTURES, scanAt } from './helpers.js';

/** Workflows that each state one behaviour a user relies on, scanned through the engine's entry. */
export const BEHAVIOUR = join(FIXTURES, 'behaviour');

export function scanBehaviour(workflow: string): Report {
  return scanAt(BEHAVIOUR, [`.github/workflows/${workflow}`]);
}

/** The one row of a job's step. */
export function rowOf(report: Report, job: string, step: string | null = 'step 1'): RouteRow {
  const rows = report.routes.filter((r) => r.job === job && r.step === step);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}
