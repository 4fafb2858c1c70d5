import type { PullRequestFacts } from './base.js';
import type { AllowEntry, Policy } from './policy.js';

/**
 * Who wrote the workflow that runs the guard. On `pull_request` it is the PR's own copy, so the PR can
 * change the guard's inputs or drop the step: the guard can only show what the PR relaxes. On
 * `pull_request_target`, a comment on a pull request (`issue_comment`), a `workflow_run` a pull request
 * started, or a required workflow that lives elsewhere or at another ref, the workflow is the base
 * branch's (or the organisation's), so the base policy is the one that applies.
 */
export type Trust = 'not-a-pull-request' | 'pr-controls-workflow' | 'base-controls-workflow';

/** Events whose workflow is always the base's, with the base's secrets, whatever the pull request wrote. */
const BASE_WORKFLOW_EVENTS: readonly string[] = ['pull_request_target', 'issue_comment', 'workflow_run'];

export function trustOf(env: NodeJS.ProcessEnv, pr: PullRequestFacts = {}): Trust {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (event === 'pull_request_target') return 'base-controls-workflow';
  if (BASE_WORKFLOW_EVENTS.includes(event)) return pr.about ? 'base-controls-workflow' : 'not-a-pull-request';
  if (event !== 'pull_request') return 'not-a-pull-request';
  const workflow = guardWorkflow(env);
  // A required workflow from a ruleset runs from its own repository, not from the PR head.
  if (workflow && !workflow.here) return 'base-controls-workflow';
  // In this repository but not at the PR's head: a required workflow pinned to another ref. A branch
  // of the same name in a fork is not this repository's branch.
  const ref = workflow?.ref;
  const headHere =
    pr.headRepository === undefined ||
    !env.GITHUB_REPOSITORY ||
    pr.headRepository.toLowerCase() === env.GITHUB_REPOSITORY.toLowerCase();
  if (
    ref &&
    !ref.startsWith('refs/pull/') &&
    ref !== pr.head &&
    !(headHere && pr.headRef !== undefined && ref === `refs/heads/${pr.headRef}`)
  )
    return 'base-controls-workflow';
  return 'pr-controls-workflow';
}

/**
 * The workflow file that runs the guard, from GITHUB_WORKFLOW_REF (`owner/repo/path@ref`): its path,
 * its ref, and whether it lives in the repository being checked.
 */
export function guardWorkflow(
  env: NodeJS.ProcessEnv,
): { path: string; ref: string | undefined; here: boolean } | undefined {
  const m = /^([^/]+\/[^/]+)\/([^@]+)(?:@(.+))?$/.exec(env.GITHUB_WORKFLOW_REF ?? '');
  if (!m) return undefined;
  const here = !env.GITHUB_REPOSITORY || m[1]!.toLowerCase() === env.GITHUB_REPOSITORY.toLowerCase();
  return { path: m[2]!, ref: m[3], here };
}

function describeAllow(a: AllowEntry): string {
  return `allows ${a.routes.join(', ')} for ${a.workflow}${a.job ? ` job ${a.job}` : ''} ("${a.reason}")`;
}

const STRICTNESS: Record<string, number> = { never: 0, error: 1, warning: 2, notice: 3 };

/** Every change the head policy makes to the base policy, as one sentence each (the PR's own words quoted). */
export function policyChanges(base: Policy, head: Policy): string[] {
  const out: string[] = [];
  const baseFailOn = base.failOn ?? 'error';
  const headFailOn = head.failOn ?? 'error';
  if (baseFailOn !== headFailOn)
    out.push(
      `fail-on changes from ${baseFailOn} to ${headFailOn}${(STRICTNESS[headFailOn] ?? 0) < (STRICTNESS[baseFailOn] ?? 0) ? ' (fails on less)' : ''}`,
    );
  const rules = new Set([...Object.keys(base.rules), ...Object.keys(head.rules)]);
  for (const rule of [...rules].sort()) {
    const before = base.rules[rule] ?? 'default';
    const after = head.rules[rule] ?? 'default';
    if (before !== after) out.push(`rule ${rule} changes from ${before} to ${after}`);
  }
  const key = (a: AllowEntry): string => JSON.stringify([a.workflow, a.job ?? null, [...a.routes].sort()]);
  const baseAllows = new Set(base.allow.map(key));
  const headAllows = new Set(head.allow.map(key));
  for (const a of head.allow) if (!baseAllows.has(key(a))) out.push(`a new allow entry ${describeAllow(a)}`);
  for (const a of base.allow)
    if (!headAllows.has(key(a))) out.push(`the allow entry that ${describeAllow(a)} is removed`);
  return out;
}
