import { runnerOs } from '../workflow/runner.js';
import { CLAUDE_WORD, liveCredentials } from '../flow/consumers.js';
import { scopeOf } from '../flow/boundaries.js';
import type { Environment } from '../flow/environment.js';
import { PowerShellFlow } from '../flow/powershell.js';
import type { CommandFlow } from '../flow/command-flow.js';
import { ScriptFlow } from '../flow/script.js';
import { repositoryPath, stepFolder, type StartFolder } from '../flow/start-folder.js';
import { declaresSdk, GITHUB_OUTPUT, shellOf, type ShellKind } from '../flow/shell-effects.js';
import { WORKSPACE_EXPRESSION_FOLDER } from '../flow/workspace.js';
import {
  claudeOnPath,
  folderOf,
  pathPrepends,
  otherShellChannels,
  type PathFolder,
  type UnfollowedWrite,
} from '../flow/channels.js';
import { afterUnfollowed } from './unfollowed.js';
import {
  CMD_CD,
  CMD_SHELL,
  isCmd,
  isPowerShell,
  otherShellRuns,
  POWERSHELL_CD,
  unreadPowerShell,
} from './other-shells.js';
import { CmdFlow } from '../flow/cmd.js';
import {
  caseless,
  expandedCommand,
  expressionProgram,
  SHELL_PROGRAMS,
  withPipedCode,
} from './program-word.js';
import { programIndex } from '../shell/commands.js';
import { bashMayMatch, type Command, type InlineCode, type Word } from '../shell/reader.js';
import type { Span } from '../types.js';
import type { FunctionBody } from '../shell/conditions.js';
import type { Step, Value } from '../workflow/model.js';
import { SourceFile } from '../workflow/source.js';
import { conditionTruth, conditionWords, resolveText, type Scope } from '../workflow/values.js';
import {
  importsAgentSdk,
  INSTALLS,
  meaningOf,
  powershellFacts,
  cmdFacts,
  scriptFacts,
  type Meaning,
} from './commands.js';
import {
  hopsThrough,
  MAX_DEPTH,
  mayExpand,
  type Context,
  type Invocation,
  type JobState,
} from './invocations.js';
import { opaqueRun, type Consumer } from './opaque.js';
import { claudeRun, interpreterRun, runTimeRun, sdkRun, sdkRunOf } from './command-runs.js';

/**
 * The runs a `run:` script starts: Claude under any spelling bash accepts, the Agent SDK, a look-alike, a
 * repository script it runs (followed), or a program that receives a Claude credential. One pass over the
 * commands: flow (ScriptFlow) keeps the script's environment as it stands before each command, and each
 * run gets the environment flow gives its command.
 */

export interface StepRuns {
  runs: Invocation[];
  /** A program that a job- or workflow-level credential reaches: a consumer if the job has no recognised run. */
  ambient?: Invocation;
}

/** Words without which a script can neither start Claude nor set a route for it. */
const MAY_MATTER =
  /claude|anthropic|agent.sdk|agent_sdk|code_sdk|\.sh\b|GITHUB_ENV|GITHUB_PATH|(^|[;&|(\n]\s*)\$\{\{/i;

/** One script being read: where it is, flow's state for it, and the runs found so far. */
export interface ScriptScan {
  step: Step;
  run: Value;
  ctx: Context;
  state: JobState;
  flow: CommandFlow;
  out: Invocation[];
  /** The consumer the step's programs make, if it has no recognised run: one passed a credential on purpose first. */
  ambient?: Consumer;
  sdkRunInStep: boolean;
  /** Something in the job or the script says Claude: an API key alone then marks a consumer. */
  claudeSignal: boolean;
  /** Code read as a child shell's (followInlineCode): the script's list holds its commands too. */
  childCode: InlineCode[];
  /** The names `${{ }}` reads in the script: a program word made by one is evaluated with them. */
  scope: Scope;
  /** The command before the one being read: what it prints a shell after a pipe reads as its script. */
  previous?: Command;
  /** The bodies of the functions the script calls that may start Claude, by name (see calledFunctions). */
  calls?: Map<string, CalledBody>;
}

/** `shell`: the shell that reads the script when it is not the step's (code handed to `bash -c`). */
export function scriptRuns(
  step: Step,
  run: Value,
  stepEnv: Environment,
  ctx: Context,
  state: JobState,
  shell = shellOf(step.shell?.text ?? ctx.shell),
): StepRuns {
  // After an SDK install any script run may be the agent; before it, most scripts can be skipped unread.
  const credentialLive = liveCredentials(stepEnv.values()).length > 0;
  // A step with an id may write outputs later steps read (`steps.<id>.outputs`).
  const writesOutputs = step.id !== undefined && GITHUB_OUTPUT.test(run.text);
  if (
    !state.sdkSeen &&
    !credentialLive &&
    !writesOutputs &&
    !bashMayMatch(MAY_MATTER, run.text) &&
    !INSTALLS.test(run.text)
  )
    return { runs: [] };
  // What PowerShell or another language writes to $GITHUB_ENV or $GITHUB_PATH is not followed.
  if (shell.kind === 'other') otherShellChannels(run, ctx.file, state);
  const cmd = shell.kind === 'other' && isCmd(shell.text) ? cmdFacts(run) : undefined;
  if (shell.kind === 'other' && !isPowerShell(shell.text) && !cmd)
    return otherShellRuns(step, run, stepEnv, ctx, shell.text);
  const scope = scopeOf(ctx, stepEnv);
  const powershell = shell.kind === 'other' && !cmd ? powershellFacts(run) : undefined;
  const { commands, meanings } = powershell ?? cmd ?? scriptFacts(run);
  const flow: CommandFlow = powershell
    ? new PowerShellFlow(run, powershell, stepEnv, scope, ctx, state, runnerOs(ctx.job))
    : cmd
      ? new CmdFlow(run, cmd, stepEnv, scope, ctx, state)
      : new ScriptFlow(run, commands, stepEnv, shell.kind === 'bash' ? shell.unset : [], scope, ctx, state);
  // What a step that may be skipped writes to $GITHUB_ENV may not be there: its condition says when.
  if (flow instanceof ScriptFlow)
    flow.stepCondition = step.if && conditionTruth(step.if) === 'maybe' ? conditionWords(step.if) : undefined;
  // PowerShell's and cmd's own folder changes are not followed: where their runs start is run time's.
  flow.startIn(
    (powershell && POWERSHELL_CD.test(run.text)) || (cmd && CMD_CD.test(run.text))
      ? { folders: [], undecided: 'the script changes its folder (`Set-Location`, `cd`, `pushd`)' }
      : startFolder(step, ctx, scope),
  );
  const scan: ScriptScan = {
    step,
    run,
    ctx,
    state,
    flow,
    out: [],
    sdkRunInStep: false,
    childCode: [],
    scope,
    claudeSignal:
      state.sdkSeen ||
      state.claudeSeen === true ||
      [run.text, step.name?.text, ctx.jobId, ctx.job?.name?.text, ctx.workflow?.name?.text].some((t) =>
        CLAUDE_WORD.test(t ?? ''),
      ),
  };
  if (flow instanceof ScriptFlow) scan.calls = calledFunctions(run, commands, flow.functions);
  for (const body of scan.calls?.values() ?? []) scan.childCode.push(body.range);
  commands.forEach((command, index) => readCommand(scan, command, index, meanings[index]!));
  flow.finish();
  if (powershell) scan.out.push(...unreadPowerShell(scan, powershell.unreadable));
  const startup = flow.startupFile();
  if (startup) for (const inv of scan.out) inv.undecided ??= startup;
  const { out, ambient } = scan;
  if (out.length > 0 || !ambient) return { runs: out };
  // A credential passed to this step on purpose makes its program a consumer on its own.
  return ambient.explicit ? { runs: [ambient.inv] } : { runs: [], ambient: ambient.inv };
}

/** One command of the script: what it does to the environment, then the run it starts, if any. */
function readCommand(scan: ScriptScan, written: Command, index: number, writtenMeaning: Meaning): void {
  const { flow, state } = scan;
  const given = expressionProgram(scan, withPipedCode(scan, written));
  const givenMeaning = given === written ? writtenMeaning : meaningOf(given);
  const { command, meaning } = caseless(scan, expandedCommand(flow, given, givenMeaning));
  scan.previous = written;
  const words = command.words;
  const program = words[programIndex(words)];
  const inChild = scan.childCode.some((code) => command.start >= code.start && command.start < code.end);
  if (!inChild) followRepositoryScript(scan, command);
  flow.apply(command, index);
  // A child shell's commands were read as its own, with its environment: here they only hand it on.
  if (inChild) return noteConsumer(scan, command);
  const importsSdk = importsAgentSdk(command);
  if (meaning.kind === 'sdk-install') state.sdkSeen = state.sdkNamed = true;
  else if (declaresSdk(command, scan.ctx.repo)) state.sdkSeen = true;
  followInlineCode(scan, command);
  followFunctionCall(scan, command);
  const runTime = flow.runTimeCode?.(command);
  const unseen = runTime && runTimeRun(scan, command, runTime);
  if (unseen) scan.out.push(unseen);
  const interpreted = interpreterRun(scan, command);
  if (interpreted) scan.out.push(interpreted);
  const sdk =
    meaning.kind === 'script-run' && !scan.sdkRunInStep ? sdkRunOf(scan, command, importsSdk) : undefined;
  if (meaning.kind === 'claude-run') {
    // A committed wrapper first on PATH: its runs are the step's runs, pushed where it is followed.
    const throughPath = claudeThroughPath(scan, command, meaning);
    const inv = throughPath && 'wrapped' in throughPath ? undefined : claudeRun(scan, command, meaning);
    if (inv)
      scan.out.push(
        throughPath && 'undecided' in throughPath ? afterUnfollowed(inv, throughPath.undecided) : inv,
      );
  } else if (meaning.kind === 'lookalike') {
    // Not Claude Code: no run and no row. lookalike-claude reports it from the step's text.
  } else if (sdk) {
    scan.sdkRunInStep = true;
    scan.out.push(sdkRun(scan, command, program ?? words[0]!, sdk.unread));
  } else noteConsumer(scan, command);
  if (importsSdk) state.sdkSeen = true;
}

/** A program that may receive a Claude credential: the step's row names the likeliest one. */
function noteConsumer(scan: ScriptScan, command: Command): void {
  const signal = scan.claudeSignal || scan.state.sdkSeen;
  const consumer = opaqueRun(command, scan.step, scan.run, scan.flow, scan.ctx, signal);
  if (consumer && (!scan.ambient || consumerRank(consumer) > consumerRank(scan.ambient)))
    scan.ambient = consumer;
}

/**
 * Code a command hands a child shell (`sh -c '...'`, `bash -s <<< '...'`, a heredoc fed to bash): read as a
 * script of its own that starts with the command's own environment, so what it unsets or sets reaches the
 * runs after it in that code, and ends with it. eval's code is the script's own: what the reader read in
 * place are the script's commands; text it could not (`eval "$c"`) is read here for its runs, and flow
 * applied what it changes.
 */
function followInlineCode(scan: ScriptScan, command: Command): void {
  const { run, ctx } = scan;
  if (ctx.depth >= MAX_DEPTH) return;
  const codes = (command.inline ?? []).filter((code) => !code.sameShell);
  const evaluated = scan.flow.evalCode?.(command);
  if (evaluated) codes.push(evaluated);
  for (const written of codes) {
    if (!written.sameShell) scan.childCode.push(written);
    // `sh -c "$S"`: the script expands S before the child shell reads it.
    const value = /^\$/.test(written.text) ? scan.flow.programText({ ...written, quoted: true }) : undefined;
    const code = value === undefined ? written : { ...written, text: value, exact: false };
    const spanAt = code.exact
      ? (a: number, b: number): Span => run.spanAt(code.start + a, code.start + b)
      : (): Span => run.spanAt(code.start, code.end);
    const body: Value = { text: code.text, span: run.spanAt(code.start, code.end), scalar: true, spanAt };
    const env = scan.flow.commandEnvironment(command.words);
    const inner: Context = { ...ctx, depth: ctx.depth + 1 };
    const shell: ShellKind = 'shell' in written ? CMD_SHELL : { kind: 'bash', unset: [] };
    const child = scriptRuns(scan.step, body, env, inner, scan.state, shell);
    for (const inv of child.runs) {
      // What the script did before (a sourced file it could not read) reaches the child shell too.
      if (scan.flow.undecided) inv.undecided ??= scan.flow.undecided;
      scan.out.push(inv);
    }
  }
}

/** A called function's body: the commands it covers (read at its calls, not in place), and where its text starts. */
interface CalledBody {
  range: InlineCode;
  textStart: number;
  /** Where the commands that call it start (`f()` itself, where it is defined, is not a call). */
  calls: Set<number>;
}

/** Calls of one function followed at most: past that, its runs are read where it is defined. */
const MAX_CALLS = 16;

/**
 * The functions whose runs are read at their calls: those whose body may start Claude and that the script
 * calls by name after defining them. A function never called keeps its runs where it is written.
 */
function calledFunctions(
  run: Value,
  commands: Command[],
  functions: ReadonlyMap<string, FunctionBody>,
): Map<string, CalledBody> {
  const out = new Map<string, CalledBody>();
  if (functions.size === 0) return out;
  const calls = new Map<string, Set<number>>();
  commands.forEach((command, index) => {
    const name = command.words[programIndex(command.words)]?.text;
    const body = name === undefined ? undefined : functions.get(name);
    if (body && index > body.to) calls.set(name!, (calls.get(name!) ?? new Set()).add(command.start));
  });
  for (const [name, at] of calls) {
    const { from, to } = functions.get(name)!;
    const open = commands[from]!.words.find((w) => w.text === '{');
    const start = open ? open.end : commands[from]!.start;
    const end = commands[to]!.start;
    const text = run.text.slice(start, end);
    if (at.size <= MAX_CALLS && bashMayMatch(MAY_START_CLAUDE, text))
      out.set(name, {
        range: { text, start: commands[from]!.start, end, exact: true, sameShell: true },
        textStart: start,
        calls: at,
      });
  }
  return out;
}

/**
 * `ANTHROPIC_API_KEY= review "the diff"`: a function runs with the environment of its call, the call's own
 * assignments included (bash keeps them for the function's run), so its runs are read at each call.
 */
function followFunctionCall(scan: ScriptScan, command: Command): void {
  const name = command.words[programIndex(command.words)]?.text;
  const body = name === undefined ? undefined : scan.calls?.get(name);
  if (!body?.calls.has(command.start) || scan.ctx.depth >= MAX_DEPTH) return;
  const { run } = scan;
  const at = body.textStart;
  const value: Value = {
    text: body.range.text,
    span: run.spanAt(at, body.range.end),
    scalar: true,
    spanAt: (a, b) => run.spanAt(at + a, at + b),
  };
  const env = scan.flow.commandEnvironment(command.words);
  const inner: Context = { ...scan.ctx, depth: scan.ctx.depth + 1 };
  for (const inv of scriptRuns(scan.step, value, env, inner, scan.state, { kind: 'bash', unset: [] }).runs) {
    if (scan.flow.undecided) inv.undecided ??= scan.flow.undecided;
    scan.out.push(inv);
  }
}

/** Which consumer a step's row names: one handed a credential on purpose first, then one known to run code. */
function consumerRank(consumer: Consumer): number {
  return (consumer.explicit ? 2 : 0) + (consumer.byName ? 0 : 1);
}

/**
 * `bash path/to/x.sh`, `./x.sh`, `bash -s < x.sh` (the shell reads it on standard input), or `source x.sh`
 * / `. x.sh` (the script's own shell runs it): a script of the repository this run: block starts, if any.
 */
function repositoryScript(command: Command): Word | undefined {
  const words = command.words;
  const at = programIndex(words);
  const program = words[at];
  if (!program) return undefined;
  const name = program.text.slice(program.text.lastIndexOf('/') + 1);
  if (program.text === 'source' || program.text === '.') return words[at + 1];
  if (SHELL_PROGRAMS.has(name)) {
    const options = words.slice(at + 1);
    if (options.some((w) => /^-[a-z]*c/.test(w.text))) return undefined;
    const path = options.find((w) => !w.text.startsWith('-'));
    const fromStdin = options.some((w) => /^-[a-z]*s[a-z]*$/.test(w.text)) || !path;
    return fromStdin ? command.redirects.find((r) => r.op === '<')?.target : path;
  }
  return /\.sh$/.test(program.text) && program.text.includes('/') ? program : undefined;
}

/**
 * A repository script the command runs: it starts with the command's environment (read before the
 * command, so a sourced file's own changes reach only what follows them), and its Claude runs are this
 * step's runs.
 */
function followRepositoryScript(scan: ScriptScan, command: Command): void {
  const { ctx } = scan;
  const script = ctx.depth < MAX_DEPTH ? repositoryScript(command) : undefined;
  const scriptPath = script && repositoryPath(script.text);
  const found = scriptPath && !scriptPath.includes('$') ? ctx.repo.read(scriptPath) : undefined;
  if (!script || !found) return;
  // A sourced file that cannot start Claude (a toolchain's exports) only changes the environment, which
  // flow applies: following it would read it again for each `source`.
  const program = command.words[programIndex(command.words)]?.text;
  const sourced = program === 'source' || program === '.';
  if (sourced && !bashMayMatch(MAY_START_CLAUDE, found.text)) return;
  // The script starts with the command's environment, read before the command, so a sourced file's own
  // changes reach only what follows them.
  followScript(scan, script, found, script.text, scan.flow.commandEnvironment(command.words));
}

/** The runs of a repository file a command starts at `script`, as this step's runs, labelled `label → run`. */
function followScript(
  scan: ScriptScan,
  script: Word,
  found: { file: string; text: string },
  label: string,
  env: Environment,
): Invocation[] {
  const { ctx, run } = scan;
  const span = run.spanAt(script.start, script.end);
  if (!mayExpand(ctx, found.file, span)) return [];
  const runs = fileRuns(scan.step, found, env, ctx, scan.state).map((inv) => ({
    ...inv,
    file: ctx.file,
    span,
    label: `${label} → ${inv.label}`,
    hops: hopsThrough(inv, ctx.file, span, label),
    inner: inv.inner ?? { file: inv.file, span: inv.span, label: inv.label, kind: inv.kind },
  }));
  scan.out.push(...runs);
  return runs;
}

/** The runs of a repository file run as a script, one level below the context, with the environment given. */
export function fileRuns(
  step: Step,
  found: { file: string; text: string },
  env: Environment,
  ctx: Context,
  state: JobState,
): Invocation[] {
  const inner: Context = { ...ctx, file: found.file, depth: ctx.depth + 1, chain: [...ctx.chain, ctx.file] };
  // A committed `.cmd` / `.bat` wrapper is cmd's to read, a `.ps1` PowerShell's.
  const shell = /\.(cmd|bat)$/i.test(found.file)
    ? CMD_SHELL
    : /\.ps1$/i.test(found.file)
      ? shellOf('pwsh')
      : undefined;
  return scriptRuns(step, scriptBody(found), env, inner, state, shell).runs;
}

/**
 * `claude` after the job or the script put a repository folder first on PATH: that folder's `claude`
 * (a committed wrapper) is what runs, read as the repository script it is; its runs, run with the
 * command's arguments (a `-p` given to the wrapper reaches the run it hands `"$@"` to). A folder only
 * run time knows leaves the run undecided. Undefined: the command starts Claude Code itself.
 */
function claudeThroughPath(
  scan: ScriptScan,
  command: Command,
  meaning: Extract<Meaning, { kind: 'claude-run' }>,
): { wrapped: true } | { undecided: UnfollowedWrite } | undefined {
  if (meaning.runner || meaning.program.text !== 'claude') return undefined;
  const entered = scan.flow.commandEnvironment(command.words);
  const path = entered.get('PATH');
  const own = pathPrepends(path).flatMap((text) => {
    const where = folderOf(text);
    if (where === 'elsewhere' || !path) return [];
    const folder: PathFolder = { text, file: path.file, span: path.keySpan };
    return [where === 'run time' ? folder : { ...folder, path: where.path }];
  });
  const folders = [...own, ...(scan.state.pathFolders ?? [])];
  const onPath = claudeOnPath(folders, scan.ctx.repo, runnerOs(scan.ctx.job));
  if (!onPath || 'undecided' in onPath) return onPath;
  if (scan.ctx.depth >= MAX_DEPTH)
    return {
      undecided: {
        why: `\`${onPath.wrapper}\` is the \`claude\` on PATH, and it is past the depth scripts are followed to`,
        file: onPath.folder.file,
        span: onPath.folder.span,
      },
    };
  const found = scan.ctx.repo.read(onPath.wrapper)!;
  for (const inv of followScript(scan, meaning.program, found, onPath.wrapper, entered))
    if (inv.argsUnknown && meaning.headless) inv.headless = true;
  return { wrapped: true };
}

/** Words without which a file can start no Claude run (it may still set a route for one). */
const MAY_START_CLAUDE = /claude|agent.sdk|agent_sdk|code_sdk|\.sh\b/i;

/**
 * A repository script as a Value, one per file: the repository hands out one object per path, so the
 * script's commands are read once however often it runs.
 */
const SCRIPT_BODIES = new WeakMap<object, Value>();
function scriptBody(found: { file: string; text: string }): Value {
  let body = SCRIPT_BODIES.get(found);
  if (!body) {
    const source = new SourceFile(found.file, found.text);
    body = {
      text: found.text,
      span: source.span(0, found.text.length),
      scalar: true,
      spanAt: (a, b) => source.span(a, b),
    };
    SCRIPT_BODIES.set(found, body);
  }
  return body;
}
/**
 * Where a `run:` step starts: its `working-directory:`, else the `defaults.run` of its job or workflow
 * (which a composite action's steps do not take).
 */
export function startFolder(step: Step, ctx: Context, scope: Scope): StartFolder {
  const inJob = ctx.workflow !== undefined && ctx.workflow.file === ctx.file;
  const folder =
    step.workingDirectory ??
    (inJob ? (ctx.job?.defaultWorkingDirectory ?? ctx.workflow?.defaultWorkingDirectory) : undefined);
  if (!folder || !folder.text.includes('${{') || WORKSPACE_EXPRESSION_FOLDER.test(folder.text))
    return stepFolder(folder?.text);
  // An input's default or the caller's value is the folder; what only run time fixes stays undecided.
  const value = resolveText(folder.text, scope, ctx.file, folder.span);
  if (value.presence === 'empty') return stepFolder(undefined);
  return stepFolder(value.form === 'literal' && value.literal !== undefined ? value.literal : folder.text);
}
