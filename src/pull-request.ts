/**
 * The action's side of a pull request's trust (I/O at the edge, beside main.ts): whose workflow runs the
 * guard, the base commit's policy, and what the pull request adds against the base (policy changes,
 * inline ignores, the guard's own step), as notices and as the summary's exceptions.
 */
import { join } from 'node:path';
import * as core from './runner.js';
import { noLinkBelow, readRegularFile } from './files.js';
import { DEFAULT_MAX_BYTES, gitFolder } from './load.js';
import type { ActionSettings } from './action-settings.js';
import { apiBase, gitBase, pullRequestOf, repositoryPath, type BaseReader } from './policy/base.js';
import {
  ignoreExceptions,
  ignorePlaces,
  stopAtFirstFailure,
  workflowExceptions,
  type PlacedException,
  type SeenIgnores,
} from './policy/exceptions.js';
import { guardMatcher } from './policy/guard-changes.js';
import type { InlineIgnore } from './policy/ignores.js';
import { loadPolicy } from './policy/load.js';
import {
  DEFAULT_POLICY,
  DEFAULT_POLICY_PATH,
  parsePolicy,
  PolicyError,
  type Policy,
} from './policy/policy.js';
import { UsageError } from './usage-error.js';
import { guardWorkflow, policyChanges, trustOf, type Trust } from './policy/trust.js';
import { logText } from './report/escape.js';
import type { Exceptions } from './report/summary.js';

/** Whose workflow runs the guard, and a reader of the base commit's files (or why there is none). */
export interface PullRequestTrust {
  trust: Trust;
  enforceBase: boolean;
  reader: BaseReader | { problem: string };
}

export async function pullRequestTrust(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
): Promise<PullRequestTrust> {
  const pr = pullRequestOf(env.GITHUB_EVENT_PATH);
  const trust = trustOf(env, pr);
  const enforceBase = trust === 'base-controls-workflow' && !settings.trustPrPolicy;
  if (trust === 'not-a-pull-request')
    return { trust, enforceBase, reader: { problem: 'not a pull request' } };
  // A comment or a workflow_run names no base commit: the base's workflow runs at GITHUB_SHA, the
  // base branch's own commit.
  const base =
    pr.base ??
    (trust === 'base-controls-workflow' && env.GITHUB_EVENT_NAME !== 'pull_request'
      ? baseSha(env)
      : undefined);
  if (!base) return { trust, enforceBase, reader: { problem: 'the event names no base commit' } };
  // Through git when the checkout has the base commit; else the contents API (checkouts are shallow).
  const gitDir = gitFolder(settings.workspace);
  const local = gitDir ? await gitBase(gitDir, base) : undefined;
  if (local) return { trust, enforceBase, reader: stopAtFirstFailure(local) };
  if (!settings.githubToken)
    return {
      trust,
      enforceBase,
      reader: { problem: 'the base commit is not in the checkout and the github-token input is empty' },
    };
  const reader = apiBase(
    {
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      token: settings.githubToken,
      repository: env.GITHUB_REPOSITORY ?? '',
      timeoutMs: settings.apiTimeoutMs,
    },
    base,
  );
  return { trust, enforceBase, reader: stopAtFirstFailure(reader) };
}

const baseSha = (env: NodeJS.ProcessEnv): string | undefined =>
  /^[0-9a-f]{40}$/.test(env.GITHUB_SHA ?? '') ? env.GITHUB_SHA : undefined;

/**
 * The policy that applies to this run, and what the pull request changes in it. Where the base's
 * workflow runs the guard, the PR's own policy edits do not apply (unless trust-pr-policy); where the
 * PR's workflow runs it, they apply but are listed, since the PR could remove the step anyway.
 */
export async function policyForRun(
  settings: ActionSettings,
  pr: PullRequestTrust,
  notices: PendingNotice[],
): Promise<{ policy: Policy; exceptions?: Exceptions; baseRead?: boolean }> {
  if (pr.trust === 'not-a-pull-request') return { policy: loadPolicy(settings.workspace, settings.config) };
  const headPolicy = headPolicyOf(settings, pr.enforceBase);
  const head = 'broken' in headPolicy ? DEFAULT_POLICY : headPolicy.policy;
  const path = settings.config ?? DEFAULT_POLICY_PATH;
  const fetched = 'problem' in pr.reader ? pr.reader : await pr.reader.read(path);
  if ('problem' in fetched) {
    const problem = `The base commit could not be read (${fetched.problem}), so ${pr.enforceBase ? 'the default policy applies, no inline ignore does, and ' : ''}what this pull request changes in the policy, its inline ignores and the workflow that runs the guard is not listed.`;
    core.warning(logText(problem));
    return {
      policy: pr.enforceBase ? DEFAULT_POLICY : head,
      exceptions: { applied: !pr.enforceBase, changes: [], problems: [problem] },
    };
  }
  const basePolicy = fetched.text !== null ? parsePolicy(fetched.text, `${path} (base)`) : DEFAULT_POLICY;
  const changes = 'broken' in headPolicy ? [headPolicy.broken] : policyChanges(basePolicy, head);
  for (const change of changes)
    notices.push({
      message: `This pull request changes the policy: ${change}${pr.enforceBase ? NOT_APPLIED : ''}.`,
      properties: { title: TITLE },
    });
  return {
    policy: pr.enforceBase ? basePolicy : head,
    exceptions: { applied: !pr.enforceBase, changes, places: [], problems: [] },
    baseRead: true,
  };
}

/**
 * The pull request's own policy file. Where the base governs it is read only to list what it changes: a
 * file that does not parse is one more change listed, never an error that stops the run.
 */
function headPolicyOf(
  settings: ActionSettings,
  baseGoverns: boolean,
): { policy: Policy } | { broken: string } {
  try {
    return { policy: loadPolicy(settings.workspace, settings.config) };
  } catch (error) {
    if (!baseGoverns || !(error instanceof UsageError || error instanceof PolicyError)) throw error;
    return { broken: `the policy file cannot be read: ${error.message}` };
  }
}

const TITLE = 'claude-route-guard: policy exception';
const NOT_APPLIED = '; not applied, since the base policy governs this run';

/** A notice about what the pull request adds, held until the findings have had their annotations. */
export interface PendingNotice {
  message: string;
  properties: core.AnnotationProperties;
}

/**
 * Notices the exceptions take at most: a pull request that adds a hundred ignores must not spend the
 * annotations its findings need. The rest are counted in one notice; the summary lists them all.
 */
export const EXCEPTION_NOTICES = 5;

export function exceptionNoticeSlots(notices: readonly PendingNotice[]): number {
  return Math.min(notices.length, EXCEPTION_NOTICES);
}

export function emitExceptionNotices(notices: readonly PendingNotice[]): void {
  const fits = notices.length <= EXCEPTION_NOTICES;
  const shown = fits ? notices : notices.slice(0, EXCEPTION_NOTICES - 1);
  for (const n of shown) core.notice(logText(n.message), n.properties);
  if (!fits)
    core.notice(
      `${notices.length - shown.length} more exception(s) this pull request adds are listed in the job summary.`,
      { title: TITLE },
    );
}

/** The workflow file that runs the guard, read from the workspace like any file the PR wrote. */
function guardWorkflowText(workspace: string, path: string): string | undefined {
  const inside = repositoryPath(path);
  if (inside === undefined || !noLinkBelow(workspace, inside)) return undefined;
  const opened = readRegularFile(join(workspace, inside), DEFAULT_MAX_BYTES);
  return 'bytes' in opened ? opened.bytes.toString('utf8') : undefined;
}

/**
 * Adds to `exceptions` the inline ignores the base does not have and the changes to the guard's own
 * workflow, each as a notice at its place; returns the ignores that must not apply to this run. Where
 * the base governs, that is every ignore not shown to be the base's: the new ones, and those in files
 * that were not compared (past the cap, a base copy that could not be read, no base at all).
 */
export async function pullRequestExceptions(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
  pr: PullRequestTrust,
  exceptions: Exceptions,
  seen: SeenIgnores[],
  notices: PendingNotice[],
  baseRead: boolean,
): Promise<Set<string>> {
  const refused = new Set<string>();
  const refuse = (file: string, ignore: InlineIgnore): void => {
    if (pr.enforceBase) refused.add(`${file}:${ignore.line}`);
  };
  // Nothing of the base was read (policyForRun has said so): no ignore is known to be the base's.
  if (!baseRead || 'problem' in pr.reader) {
    for (const { file, ignores } of seen) for (const ignore of ignores) refuse(file, ignore);
    return refused;
  }
  const places: PlacedException[] = [];
  const problems: string[] = [];
  const ignores = await ignoreExceptions(seen, pr.reader, pr.enforceBase);
  places.push(...ignorePlaces(ignores.added));
  problems.push(...ignores.problems);
  // Fail closed: an ignore in a file that was not compared may be the pull request's own.
  for (const { file, ignore } of [...ignores.added, ...ignores.uncompared]) refuse(file, ignore);
  const workflow = guardWorkflow(env);
  if (workflow?.here) {
    const changed = await workflowExceptions(
      workflow.path,
      guardWorkflowText(settings.workspace, workflow.path),
      pr.reader,
      guardMatcher(env.GITHUB_ACTION_REPOSITORY),
    );
    places.push(...changed.places);
    if (changed.problem) problems.push(changed.problem);
  }
  // What was not compared comes first: the notices are capped, and a hundred added ignores must not
  // hide why the check knows nothing of the rest.
  for (const problem of problems)
    notices.push({ message: `Not compared with the base: ${problem}.`, properties: { title: TITLE } });
  for (const p of places)
    notices.push({
      message: `This pull request ${p.message}${pr.enforceBase ? NOT_APPLIED : ''}.`,
      properties: { title: TITLE, file: p.file, startLine: p.span.line, startColumn: p.span.column },
    });
  exceptions.places = [...(exceptions.places ?? []), ...places];
  exceptions.problems = [...(exceptions.problems ?? []), ...problems];
  return refused;
}
