import { FLAVOUR_TRAITS, inputEffect } from '../flow/action-inputs.js';
import { officialActionEnvironment } from '../flow/action-environment.js';
import { scopeOf } from '../flow/boundaries.js';
import type { Step, Value } from '../workflow/model.js';
import type { InvocationKind } from '../types.js';
import { releaseOf, type Release } from '../flow/action-versions.js';
import { hasReleases, type ActionRef } from './actions.js';
import { isSpendLimit } from './commands.js';
import {
  hopsThrough,
  MAX_DEPTH,
  mayExpand,
  newInvocation,
  type Context,
  type Invocation,
  type JobState,
} from './invocations.js';
import { folderOf } from '../flow/channels.js';
import { Environment } from '../flow/environment.js';
import { fileRuns } from './script-runs.js';
import { afterUnfollowed } from './unfollowed.js';
import { switchValueState } from './precedence.js';

const KIND_OF_FLAVOUR: Record<ActionRef['flavour'], InvocationKind> = {
  v1: 'claude-code-action',
  legacy: 'claude-code-action',
  base: 'claude-code-base-action',
  lookalike: 'lookalike',
  'security-review': 'claude-code-security-review',
};

/** A step that uses the official action (or a look-alike of it): a Claude run, headless, with what its inputs give it. */
export function actionInvocation(
  step: Step,
  uses: Value,
  action: ActionRef,
  env: Environment,
  ctx: Context,
  state: JobState,
): Invocation {
  const label = uses.text.trim();
  const release = hasReleases(action) ? releaseAt(action, uses, ctx) : undefined;
  const restrictedEnv = env.get('CLAUDE_CODE_RESTRICTED')?.value;
  const given = {
    uses: label,
    flavour: action.flavour,
    given: step.with,
    ...(release ? { release } : {}),
    restricted: restrictedEnv !== undefined && switchValueState(restrictedEnv) === 'on',
  };
  const received = officialActionEnvironment(given, env, scopeOf(ctx, env), ctx, state);
  const inv = newInvocation(KIND_OF_FLAVOUR[action.flavour], label, uses.span, step, ctx, true, received);
  inv.action = action;
  if (release) inv.release = release;
  inv.ignoredInputs = received.ignoredInputs;
  if (received.claudeArgs) inv.maxTurns = received.claudeArgs.some((w) => isSpendLimit(w.text));
  if (step.with.some((e) => inputEffect(e.name, action.flavour) === 'spend-limit')) inv.maxTurns = true;
  if (FLAVOUR_TRAITS[action.flavour].bounded) inv.maxTurns = true;
  return inv;
}

/** A version a comment beside the ref names (`@<sha> # v1.0.111`): a hint, never the fact. */
const COMMENT_VERSION = /^\s+#\s*(v\d+(?:\.\d+){0,2})\b/;

/** The release the step's ref runs: by its tag, through the table, or by its action.yml read remotely. */
function releaseAt(action: ActionRef, uses: Value, ctx: Context): Release {
  const after = ctx.workflow?.source.lineText(uses.span.endLine).slice(uses.span.endColumn - 1) ?? '';
  const hint = COMMENT_VERSION.exec(after)?.[1];
  const read = ctx.repo.remote?.('action', {
    owner: action.owner,
    repo: action.repo,
    path: '',
    ref: action.ref,
  });
  const actionYml =
    read && 'parsed' in read ? (read.parsed.kind === 'action' ? read.parsed : undefined) : read;
  return releaseOf(action.ref, hint, actionYml);
}

/**
 * `path_to_claude_code_executable`: the program the action runs as Claude Code. A file of the repository
 * (a committed wrapper) is what runs, read as the repository script it is, with the environment the
 * action gives Claude; its runs are the step's rows, headless as the action runs them. A path only run
 * time knows leaves the run undecided; a program outside the workspace is an installed Claude Code.
 */
export function throughExecutable(inv: Invocation, step: Step, ctx: Context, state: JobState): Invocation[] {
  const input = step.with.find((e) => e.name === EXECUTABLE_INPUT);
  const text = input?.value.text.trim() ?? '';
  if (!input || text === '') return [inv];
  const where = folderOf(text);
  if (where === 'elsewhere') return [inv];
  const span = input.value.span;
  if (where === 'run time') {
    const why = `the action runs \`${text}\` as Claude Code (\`${EXECUTABLE_INPUT}\`), a program only run time knows`;
    return [afterUnfollowed(inv, { why, file: ctx.file, span })];
  }
  const found = ctx.depth < MAX_DEPTH ? ctx.repo.read(where.path) : undefined;
  if (!found || !mayExpand(ctx, found.file, span)) {
    return [
      afterUnfollowed(inv, {
        why: `the action runs \`${text}\` as Claude Code, which was not read`,
        file: ctx.file,
        span,
      }),
    ];
  }
  const label = `${inv.label} → ${where.path}`;
  return fileRuns(step, found, Environment.of(inv.bindings), ctx, state).map((run) => ({
    ...run,
    file: ctx.file,
    span,
    label: `${label} → ${run.label}`,
    headless: true,
    hops: hopsThrough(run, ctx.file, span, label),
    inner: run.inner ?? { file: run.file, span: run.span, label: run.label, kind: run.kind },
  }));
}

const EXECUTABLE_INPUT = 'path_to_claude_code_executable';
