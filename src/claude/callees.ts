import {
  calleeInputs,
  calleeSecrets,
  handedToAction,
  handedToWorkflow,
  scopeOf,
  type CallerHands,
} from '../flow/boundaries.js';
import { processEnvironment, type AnalysisProblem, type Environment } from '../flow/environment.js';
import type { UnfollowedWrite } from '../flow/channels.js';
import { actionOutputs } from '../flow/step-outputs.js';
import { inRepository, remoteAddress, type CalleeKind, type RemoteAddress } from '../sources/address.js';
import type { Repo } from '../sources/repo.js';
import type { InvocationKind } from '../types.js';
import type { ActionMetadata, Job, Parsed, Step, Value, Workflow } from '../workflow/model.js';
import {
  callsItself,
  MAX_DEPTH,
  mayExpand,
  newInvocation,
  onePerRun,
  wrapInvocation,
  type Context,
  type Invocation,
  type JobState,
} from './invocations.js';
import { actionWalkKey, walkOnce, workflowWalkKey } from './callee-memo.js';
import { dockerAction, isDockerAction, programAction, runsProgram } from './opaque.js';

/**
 * Following a call into a local reusable workflow or composite action (or one the edge read from another
 * repository): the callee is walked with what the caller hands it, and each run it holds becomes a row at
 * the caller's `uses:`. The walk is a parameter, so this module does not import the walker that imports it.
 */

/** What a caller hands a reusable workflow, and where the workflow itself lives when it is remote. */
export interface Caller extends CallerHands {
  home?: RemoteAddress;
}

/** The walk, as a callee is walked: a reusable workflow's jobs, a composite action's steps. */
export interface Walker {
  workflow(
    wf: Workflow,
    repo: Repo,
    caller: Caller,
    depth: number,
    problems: AnalysisProblem[],
    trail: Pick<Context, 'budget' | 'chain'>,
  ): Invocation[];
  steps(steps: Step[], ctx: Context, shared?: JobState): Invocation[];
}

/**
 * A callee that could not be followed: `unread` when it is not there to read (the call stays an opaque
 * consumer), `none` when it is read but holds no run to follow (not the kind of file named), `tooDeep`
 * when it lies past MAX_DEPTH levels of calls.
 */
type NotFollowed = 'unread' | 'none' | 'tooDeep';

function localPath(uses: string, repo?: Repo): string | undefined {
  if (uses.startsWith('./')) return uses.slice(2).replace(/\/+$/, '');
  const same = repo ? sameRepositoryPath(uses, repo) : undefined;
  return same?.path;
}

/** `owner/name/path@ref` where owner/name is the scanned repository: the local file, and the ref it names. */
function sameRepositoryPath(uses: string, repo: Repo): { path: string; ref: string } | undefined {
  if (!repo.name) return undefined;
  const m = /^([^/@\s]+\/[^/@\s]+)\/([^@\s]+)@(\S+)$/.exec(uses.trim());
  if (!m || m[1]!.toLowerCase() !== repo.name.toLowerCase()) return undefined;
  return { path: m[2]!.replace(/\/+$/, ''), ref: m[3]! };
}

function sameRepositoryNote(uses: string, repo: Repo): string | undefined {
  const same = sameRepositoryPath(uses, repo);
  return same
    ? `\`${uses.trim()}\` is this repository; the local copy was read, and \`${same.ref}\` may differ from the checkout`
    : undefined;
}

/**
 * A callee in another repository that the edge read before the scan, or undefined (offline, not worth
 * reading, or unreadable: then a problem says why and the call stays an opaque consumer).
 */
function remoteCallee(
  uses: Value,
  kind: CalleeKind,
  ctx: Context,
): { parsed: Parsed; address: RemoteAddress } | undefined {
  const text = uses.text.trim();
  const address =
    kind === 'workflow' && ctx.home && text.startsWith('./')
      ? inRepository(ctx.home, text)
      : remoteAddress(text);
  const found = address && ctx.repo.remote?.(kind, address);
  if (!found) return undefined;
  if ('why' in found) {
    ctx.problems.push({
      file: ctx.file,
      span: uses.span,
      message: `${kind === 'workflow' ? 'reusable workflow' : 'action'} \`${text}\` could not be read: ${found.why}`,
    });
    return undefined;
  }
  return found;
}

/** The reusable workflow a job's `uses:` names, read locally or from the edge's remote callees. */
function workflowCallee(
  uses: Value,
  ctx: Context,
): { callee: Workflow; remote?: RemoteAddress } | NotFollowed {
  const text = uses.text.trim();
  // In a remote workflow, `./` names a file of that repository, never of the checkout.
  const path = ctx.home && text.startsWith('./') ? undefined : localPath(text, ctx.repo);
  const before = ctx.problems.length;
  const remote = path ? undefined : remoteCallee(uses, 'workflow', ctx);
  if (
    !path &&
    !remote &&
    ctx.problems.length === before &&
    /^[^./\s][^/\s]*\/[^/\s]+\/\.github\/workflows\/[^@\s]+\.ya?ml@\S+$/.test(text)
  ) {
    // Another repository's workflow that was not read: say so rather than pass in silence.
    ctx.problems.push({
      file: ctx.file,
      span: uses.span,
      message: `reusable workflow \`${text}\` is in another repository and is not read, so its Claude runs cannot be checked`,
      remoteUnread: true,
    });
  }
  if (!path && !remote) return 'unread';
  if (ctx.depth >= MAX_DEPTH) return 'tooDeep';
  const callee = remote ? remote.parsed : ctx.repo.parse(path!);
  if (!callee) {
    ctx.problems.push({
      file: ctx.file,
      span: uses.span,
      message: `reusable workflow \`${uses.text}\` was not found in the repository, so its Claude runs cannot be checked`,
    });
    return 'unread';
  }
  if (callee.kind !== 'workflow') return 'none';
  return remote ? { callee, remote: remote.address } : { callee };
}

/** The Claude runs of a reusable workflow; undefined when its file cannot be read (remote or missing). */
export function reusableWorkflow(
  job: Job,
  uses: Value,
  ctx: Context,
  walk: Walker,
): Invocation[] | undefined {
  const found = workflowCallee(uses, ctx);
  if (found === 'unread') return undefined;
  if (found === 'none') return [];
  if (found === 'tooDeep') {
    const handed = handedToWorkflow([...job.with, ...job.secrets], scopeOf(ctx, ctx.baseEnv), ctx.file);
    return [notFollowed('reusable-workflow', uses, null, handed, ctx, pastDepthLimit(uses, ctx))];
  }
  const { callee } = found;
  const scope = scopeOf(ctx, ctx.baseEnv);
  const inputs = calleeInputs(job.with, scope, callee.callInputs, callee.file, new Map());
  const secrets = calleeSecrets(job, scope, ctx.secrets);
  const home = found.remote ?? ctx.home;
  const caller: Caller = home ? { inputs, secrets, home } : { inputs, secrets };
  const key = workflowWalkKey(callee.file, ctx.depth, home, [inputs, secrets]);
  let stopped: Invocation | undefined;
  const inner = walkOnce(ctx, key, () => {
    if (!mayExpand(ctx, callee.file, uses.span)) {
      const handed = handedToWorkflow([...job.with, ...job.secrets], scope, ctx.file);
      if (!callsItself(ctx, callee.file))
        stopped = notFollowed('reusable-workflow', uses, null, handed, ctx, overBudget(uses));
      return [];
    }
    return walk.workflow(callee, ctx.repo, caller, ctx.depth + 1, ctx.problems, {
      budget: ctx.budget,
      chain: [...ctx.chain, ctx.file],
    });
  });
  if (stopped) return [stopped];
  if (inner.length === 0) return [];
  const named = [...callee.source.text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
  return atCaller(inner, 'reusable-workflow', uses, ctx, null).map((row) => {
    row.calleeSecrets = [...new Set([...named, ...(row.calleeSecrets ?? [])])].filter(
      (n) => n !== 'GITHUB_TOKEN',
    );
    return row;
  });
}

/** Why a call past MAX_DEPTH levels is not followed; said where the call is written. */
function pastDepthLimit(uses: Value, ctx: Context): string {
  const why = `\`${uses.text.trim()}\` is nested more than ${MAX_DEPTH} calls deep (reusable workflows, composite actions and scripts), past what the scan follows, so its Claude runs were not checked`;
  ctx.problems.push({ file: ctx.file, span: uses.span, message: why });
  return why;
}

/** Why a call met once the budget is spent is not followed (mayExpand has said so on the file, once). */
function overBudget(uses: Value): string {
  return `\`${uses.text.trim()}\` was not followed: the scan's budget of calls was spent (see the finding on this file), so its Claude runs were not checked`;
}

/**
 * A call that is not followed (past MAX_DEPTH levels, or past the budget): a row whose route is `unknown`
 * (what the callee does with what it is handed was not read), never a silent nothing.
 */
function notFollowed(
  kind: 'reusable-workflow' | 'composite-action',
  uses: Value,
  step: Step | null,
  handed: Environment,
  ctx: Context,
  why: string,
): Invocation {
  const row = newInvocation(kind, uses.text.trim(), uses.span, step, ctx, false, processEnvironment(handed));
  row.undecided = why;
  return row;
}

/** The local (or edge-read) action a step's `uses:` names. */
function actionCallee(uses: Value, ctx: Context): ActionMetadata | NotFollowed {
  const dir = localPath(uses.text.trim(), ctx.repo);
  const remote = dir === undefined ? remoteCallee(uses, 'action', ctx) : undefined;
  if (dir === undefined && !remote) return 'unread';
  if (ctx.depth >= MAX_DEPTH) return 'tooDeep';
  const parsed =
    remote?.parsed ??
    ['action.yml', 'action.yaml']
      .map((name) => ctx.repo.parse(dir ? `${dir}/${name}` : name))
      .find((p) => p !== undefined);
  if (!parsed) {
    ctx.problems.push({
      file: ctx.file,
      span: uses.span,
      message: `local action \`${uses.text}\` was not found in the repository, so its Claude runs cannot be checked`,
    });
    return 'unread';
  }
  return parsed.kind === 'action' ? parsed : 'none';
}

/**
 * The Claude runs of a composite (or Docker) action a step uses; undefined when it cannot be read. Its
 * steps run in the caller's job: they start with the step's env and share the job's files and $GITHUB_ENV.
 */
export function compositeAction(
  step: Step,
  uses: Value,
  env: Environment,
  ctx: Context,
  state: JobState,
  walk: Walker,
): Invocation[] | undefined {
  const parsed = actionCallee(uses, ctx);
  if (parsed === 'unread') return undefined;
  if (parsed === 'none') return [];
  if (parsed === 'tooDeep') {
    const handed = handedToAction(step.with, env, scopeOf(ctx, env), ctx.file).bindings;
    const why = pastDepthLimit(uses, ctx);
    return [notFollowed('composite-action', uses, step, handed, ctx, why)];
  }
  const inputs = calleeInputs(step.with, scopeOf(ctx, env), parsed.inputs, parsed.file, env);
  const key = actionWalkKey(parsed.file, ctx, inputs, env, state);
  let stopped: Invocation | undefined;
  const runs = walkOnce(
    ctx,
    key,
    () => {
      if (!mayExpand(ctx, parsed.file, uses.span)) {
        const handed = handedToAction(step.with, env, scopeOf(ctx, env), ctx.file).bindings;
        if (!callsItself(ctx, parsed.file))
          stopped = notFollowed('composite-action', uses, step, handed, ctx, overBudget(uses));
        return [];
      }
      const inner: Context = {
        ...ctx,
        file: parsed.file,
        baseEnv: env,
        inputs,
        depth: ctx.depth + 1,
        chain: [...ctx.chain, ctx.file],
        stepOutputs: new Map(),
      };
      delete inner.declaredInputs;
      delete inner.callerSecrets;
      if (isDockerAction(parsed)) return dockerAction(parsed, inner);
      const found = walk.steps(parsed.steps, inner, state);
      // Its `outputs:` read its own steps' outputs; the caller's walk files them under the step's id. The
      // job's state then changes, so such a walk is the caller's own, never a remembered one.
      if (parsed.outputs.length > 0 && step.id)
        state.outputsWritten = actionOutputs(parsed.outputs, scopeOf(inner, env));
      return found;
    },
    state,
  );
  if (stopped) return [stopped];
  // The repository's own action code is the PR author's: it may write the channels, or run Claude Code
  // with what it is handed (in `main:` or `post:`). A remote action at a ref is its owner's, not a suspect.
  const unread: UnfollowedWrite | undefined =
    runsProgram(parsed) && uses.text.trim().startsWith('./')
      ? {
          why: `the action \`${uses.text.trim()}\` runs code of the repository the scan does not read`,
          file: ctx.file,
          span: uses.span,
        }
      : undefined;
  state.unfollowed ??= unread;
  // A JavaScript or Docker action's own code is not read: what its step is handed decides, as for a
  // remote one; that the code is the PR author's matters to the steps after it (`state.unfollowed`).
  if (runs.length === 0 && runsProgram(parsed))
    return programAction(step, uses, env, ctx, parsed, state.claudeSeen === true || state.sdkSeen);
  return atCaller(runs, 'composite-action', uses, ctx, step);
}

/** Each run a callee holds, as a row at the caller's `uses:`; read from this repository's checkout, it says so. */
function atCaller(
  runs: Invocation[],
  kind: InvocationKind,
  uses: Value,
  ctx: Context,
  step: Step | null,
): Invocation[] {
  const note = sameRepositoryNote(uses.text, ctx.repo);
  return onePerRun(runs).map((inv) => {
    const row = wrapInvocation(inv, kind, uses, ctx, step);
    if (note) row.notes = [...row.notes, note];
    return row;
  });
}
