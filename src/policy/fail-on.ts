import { SEVERITY_RANK, type Finding, type Severity } from '../types.js';

/** The least severe finding that fails the run, or `never`. */
export type FailOn = Severity | 'never';
export const FAIL_ON_LEVELS: readonly FailOn[] = ['error', 'warning', 'notice', 'never'];

export function failsOn(findings: Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}
