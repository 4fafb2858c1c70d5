import type { Job } from './model.js';

/** Where a job runs, as far as its `runs-on` says: a runner GitHub provides afresh, one of the owner's, or unsaid. */
export type RunnerKind = 'github-hosted' | 'self-hosted' | 'unknown';

/**
 * The labels of GitHub's own runners (standard, arm, and the larger macOS ones): `ubuntu-latest`,
 * `ubuntu-24.04-arm`, `ubuntu-slim`, `windows-2025`, `windows-11-arm`, `macos-15-xlarge`. Each job gets a
 * fresh machine, so no stored login can be on it. Larger runners with names of their own are unknown here.
 */
const GITHUB_HOSTED_LABEL =
  /^(ubuntu-(latest|slim|\d+\.\d+(-arm)?)|windows-(latest|\d{4}|11-arm)|macos-(latest|\d+)(-(large|xlarge|intel))?)$/i;

/** Where a Claude run runs: the job of a reusable workflow it sits in, else the job that holds its step. */
export function runnerOf(run: { runner?: { job: Job }; jobNode?: Job }): RunnerKind {
  return runnerKind(run.runner?.job ?? run.jobNode);
}

/** The kind of runner a job asks for; `unknown` when an expression, a group or a custom label decides. */
export function runnerKind(job: Job | undefined): RunnerKind {
  const labels = job?.runsOnLabels;
  if (!labels || labels.some((l) => l.includes('${{'))) return 'unknown';
  if (labels.some((l) => l.toLowerCase() === 'self-hosted')) return 'self-hosted';
  return labels.length === 1 && GITHUB_HOSTED_LABEL.test(labels[0]!.trim()) ? 'github-hosted' : 'unknown';
}

/** The operating system a job's runner has, as its labels say: Windows compares environment names without case. */
export type RunnerOs = 'windows' | 'posix' | 'unknown';

export function runnerOs(job: Job | undefined): RunnerOs {
  const labels = job?.runsOnLabels?.map((l) => l.trim().toLowerCase());
  if (!labels || labels.some((l) => l.includes('${{'))) return 'unknown';
  if (labels.some((l) => /^windows\b/.test(l))) return 'windows';
  if (labels.some((l) => /^(ubuntu|macos)\b/.test(l) || l === 'linux')) return 'posix';
  return 'unknown';
}
