import { expect } from '@jest/globals';
import { join } from 'node:path';
import { parsePolicy } from '../src/policy/policy.js';
import type { Policy, Report, RouteRow } from '../src/scan.js';
import type { RouteKind } from '../src/types.js';
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

/** A policy with one allow entry: the team's plan pays for `route` in that workflow and job. */
export function allowing(
  workflow: string,
  job = 'review-bot',
  route: RouteKind = 'subscription-oauth-token',
): Policy {
  return parsePolicy(
    `allow:\n  - workflow: "${workflow}"\n    job: "${job}"\n    routes: [${route}]\n    reason: the team plan pays\n`,
    '.github/claude-route-guard.yml',
  );
}
