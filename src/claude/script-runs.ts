import { runnerOs } from '../workflow/runner.js';
import { CLAUDE_WORD, inOwnStep, isTestRunner, liveCredentials, opaqueNote } from '../flow/consumers.js';
import { scopeOf } from '../flow/boundaries.js';
import { processEnvironment, type Environment } from '../flow/environment.js';
import { PowerShellFlow } from '../flow/powershell.js';
import { otherShellEnvironment, repositoryPath, ScriptFlow, type CommandFlow } from '../flow/script.js';
import { stepFolder, type StartFolder } from '../flow/start-folder.js';
import { declaresSdk, shellOf } from '../flow/shell-effects.js';
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
  caseless,
  expandedCommand,
  expressionProgram,
  SHELL_PROGRAMS,
  withPipedCode,
} from './program-word.js';
import { basename, filledAtRunTime, programIndex } from '../shell/commands.js';
import { bashMayMatch, type Command, type InlineCode, type Word } from '../shell/reader.js';
import type { Span } from '../types.js';
import type { Step, Value } from '../workflow/model.js';
import { SourceFile } from '../workflow/source.js';
import { conditionTruth, conditionWords, resolveText, type Scope } from '../workflow/values.js';
import {
  interpreterCode,
  importsAgentSdk,
  INSTALLS,
  meaningOf,
  powershellFacts,
  scriptFacts,
  type Meaning,
} from './commands.js';
import {
  hopsThrough,
  MAX_DEPTH,
  mayExpand,
  newInvocation,
  type Context,
  type Invocation,
  type JobState,
} from './invocations.js';
import { opaqueRun, type Consumer } from './opaque.js';
import { MODE_FLAGS, switchValueState } from './precedence.js';
import { commandReach } from './sdk-reach.js';

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
const SUBPROCESS_CLAUDE =
  /(subprocess\.\w+|os\.(system|popen)|Popen|spawn|exec\w*|execa|system|Start-Process|&)\s*\(?\s*\[?\s*["']claude\b/;

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
  if (!state.sdkSeen && !credentialLive && !bashMayMatch(MAY_MATTER, run.text) && !INSTALLS.test(run.text))
    return { runs: [] };
  // What PowerShell or another language writes to $GITHUB_ENV or $GITHUB_PATH is not followed.
  if (shell.kind === 'other') otherShellChannels(run, ctx.file, state);
  if (shell.kind === 'other' && !isPowerShell(shell.text))
    return otherShellRuns(step, run, stepEnv, ctx, shell.text);
  const scope = scopeOf(ctx, stepEnv);
  const powershell = shell.kind === 'other' ? powershellFacts(run) : undefined;
  const { commands, meanings } = powershell ?? scriptFacts(run);
  const flow: CommandFlow = powershell
    ? new PowerShellFlow(run, powershell, stepEnv, scope, ctx, state, runnerOs(ctx.job))
    : new ScriptFlow(run, commands, stepEnv, shell.kind === 'bash' ? shell.unset : [], scope, ctx, state);
  // What a step that may be skipped writes to $GITHUB_ENV may not be there: its condition says when.
  if (flow instanceof ScriptFlow)
    flow.stepCondition = step.if && conditionTruth(step.if) === 'maybe' ? conditionWords(step.if) : undefined;
  // PowerShell's own folder changes are not followed: where its runs start is run time's.
  flow.startIn(
    powershell && POWERSHELL_CD.test(run.text)
      ? { folders: [], undecided: 'the PowerShell script changes its folder (`Set-Location`, `cd`)' }
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
  } else if (meaning.kind === 'lookalike' && !isInstall(command)) scan.out.push(lookalikeRun(scan, meaning));
  else if (sdk) {
    scan.sdkRunInStep = true;
    scan.out.push(sdkRun(scan, command, program ?? words[0]!, sdk.unread));
  } else noteConsumer(scan, command);
  if (importsSdk) state.sdkSeen = true;
}

/**
 * `python -c '...subprocess.run(["claude", ...])'`, `node -e "execSync('claude -p')"`, or a heredoc fed to
 * the interpreter: code in a language this reader does not follow starts Claude, so the run is there and
 * what that code does to its environment first is run time's.
 */
function interpreterRun(scan: ScriptScan, command: Command): Invocation | undefined {
  const code = interpreterCode(command);
  const m = code && SUBPROCESS_CLAUDE.exec(code.text);
  if (!code || !m) return undefined;
  const at = code.text.indexOf('claude', m.index);
  const exact = scan.run.text.slice(code.start, code.start + code.text.length) === code.text;
  const where = exact
    ? scan.run.spanAt(code.start + at, code.start + at + 'claude'.length)
    : scan.run.spanAt(code.start, code.end);
  const received = scan.flow.runEnvironment(scan.flow.commandEnvironment(command.words));
  const program = basename(command.words[programIndex(command.words)]!.text);
  received.undecided ??= `the \`${program}\` code that starts claude may change its environment first, and is not read`;
  const headless = /(^|[\s'",[])(-p|--print)\b/.test(code.text.slice(at));
  return newInvocation('cli', 'claude', where, scan.step, scan.ctx, headless, received);
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
    const child = scriptRuns(scan.step, body, env, inner, scan.state, { kind: 'bash', unset: [] });
    for (const inv of child.runs) {
      // What the script did before (a sourced file it could not read) reaches the child shell too.
      if (scan.flow.undecided) inv.undecided ??= scan.flow.undecided;
      scan.out.push(inv);
    }
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
  return scriptRuns(step, scriptBody(found), env, inner, state).runs;
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
  const onPath = claudeOnPath([...own, ...(scan.state.pathFolders ?? [])], scan.ctx.repo);
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

/** `claude ...` under any spelling: a CLI run, headless with `-p`, with its command's environment. */
function claudeRun(
  scan: ScriptScan,
  command: Command,
  meaning: Extract<Meaning, { kind: 'claude-run' }>,
): Invocation {
  const { run, flow } = scan;
  const first = meaning.runner?.word ?? meaning.program;
  const where = run.spanAt(first.start, meaning.program.end);
  const headless = meaning.headless || expansionsHoldPrint(meaning.expandedArgs, run.text);
  const commandEnv = flow.commandEnvironment(command.words);
  // CLAUDE_CODE_SIMPLE and CLAUDE_CODE_RESTRICTED read on and off as the provider switches do.
  const on = (variable: keyof typeof MODE_FLAGS): boolean => {
    const value = commandEnv.get(variable)?.value;
    return value !== undefined && switchValueState(value) === 'on';
  };
  const bare = meaning.bare || on('CLAUDE_CODE_SIMPLE');
  const restricted = meaning.restricted || on('CLAUDE_CODE_RESTRICTED');
  const received = flow.runEnvironment(commandEnv, meaning.settings, restricted);
  const filled = filledAtRunTime(command.words);
  if (filled)
    received.undecided ??= `xargs puts its input in place of \`${filled.text}\` at run time, which may set the environment Claude starts with`;
  const inv = newInvocation('cli', claudeLabel(meaning), where, scan.step, scan.ctx, headless, received);
  inv.command = claudeCommand(meaning);
  if (!meaning.headless && meaning.expandedArgs.length > 0 && !headless) {
    // Said before anything the settings add.
    inv.notes.unshift(
      `its arguments come from ${meaning.expandedArgs.map((a) => `$${a}`).join(', ')}, which may hold -p`,
    );
    inv.argsUnknown = true;
  }
  inv.maxTurns = meaning.maxTurns;
  inv.bare = bare;
  // A variable in front of claude (`$WRAP claude -p`) may hold `env -u ...`: only run time says.
  if (meaning.wrapper?.text.startsWith('$'))
    inv.undecided ??= `\`${meaning.wrapper.text}\` in front of claude is expanded at run time, and may change the environment Claude starts with`;
  // What an unknown wrapper does before Claude starts (a sandbox, a credential broker) was not read.
  if (meaning.wrapper)
    inv.opaque = `Claude runs through \`${meaning.wrapper.text}\`, whose effect on its environment was not checked`;
  return inv;
}

/** A program that looks like Claude Code but is not Anthropic's. */
function lookalikeRun(scan: ScriptScan, meaning: Extract<Meaning, { kind: 'lookalike' }>): Invocation {
  const word = meaning.word;
  const where = scan.run.spanAt(word.start, word.end);
  const received = processEnvironment(scan.flow.env.fork());
  const inv = newInvocation('lookalike', word.text, where, scan.step, scan.ctx, false, received);
  inv.notes.push(meaning.what);
  return inv;
}

/**
 * Whether a script run is the agent: it imports the SDK inline, or a file it runs does. One that runs
 * what cannot be read (a test runner, a module) after the job installed the SDK by name may be the agent:
 * an inferred run that says what was not read. After only a manifest that declares the SDK, it is no run.
 */
function sdkRunOf(scan: ScriptScan, command: Command, importsSdk: boolean): { unread?: string } | undefined {
  if (importsSdk) return {};
  if (!scan.state.sdkSeen) return undefined;
  const reach = commandReach(command, scan.ctx.repo);
  if (reach === 'imports') return {};
  if (reach === 'none' || !scan.state.sdkNamed) return undefined;
  // Tests may start the agent with a credential handed to them on purpose; with none handed, they do not.
  const handed = liveCredentials(scan.flow.commandEnvironment(command.words).values());
  if (isTestRunner(command) && !inOwnStep(handed)) return undefined;
  const text = scan.run.text.slice(command.start, command.end);
  return { unread: `what \`${text}\` runs was not read; the job installed the Agent SDK before it` };
}

/** A script run that is the agent, with its command's environment. */
function sdkRun(scan: ScriptScan, command: Command, where: Word, unread?: string): Invocation {
  const received = scan.flow.runEnvironment(scan.flow.commandEnvironment(command.words));
  const span = scan.run.spanAt(where.start, where.end);
  const inv = newInvocation(
    'agent-sdk',
    `Agent SDK via \`${where.text}\``,
    span,
    scan.step,
    scan.ctx,
    true,
    received,
  );
  if (unread) inv.opaque = unread;
  return inv;
}

/** `pwsh`, `powershell`, `pwsh -command ". '{0}'"`: a script read by the PowerShell reader. */
function isPowerShell(shell: string): boolean {
  return /^(pwsh|powershell)(\.exe)?$/i.test(basename(shell.trim().split(/\s+/)[0]!.replace(/\\/g, '/')));
}

/**
 * What the PowerShell reader could not read, where the text from there (or, for text run at run time,
 * anywhere) names Claude: an `unknown` run at that place with the reason, never dropped in silence.
 */
function unreadPowerShell(
  scan: ScriptScan,
  unreadable: { reason: string; at: number; from: number }[],
): Invocation[] {
  const { run } = scan;
  const problem = unreadable.find((p) => CLAUDE_WORD.test(run.text.slice(p.from)));
  if (!problem) return [];
  const span = run.spanAt(problem.at, problem.at + 1);
  const received = scan.flow.runEnvironment(scan.flow.commandEnvironment([]));
  const headless = /(^|\s)(-p|--print)\b/.test(run.text.slice(problem.from));
  const inv = newInvocation('cli', 'claude', span, scan.step, scan.ctx, headless, received);
  inv.undecided = `the PowerShell script could not be read at line ${span.line}: ${problem.reason}, and it names Claude`;
  return [inv];
}

/**
 * Where a `run:` step starts: its `working-directory:`, else the `defaults.run` of its job or workflow
 * (which a composite action's steps do not take).
 */
function startFolder(step: Step, ctx: Context, scope: Scope): StartFolder {
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

/** The PowerShell commands and aliases that change the current folder. */
const POWERSHELL_CD =
  /(^|[\s;|&({])(cd|chdir|sl|Set-Location|Push-Location|pushd|popd|Pop-Location)(?=[\s;)}]|$)/im;

/** A script for a shell other than bash: a Claude run in it is seen, but what it removes is not. */
function otherShellRuns(step: Step, run: Value, stepEnv: Environment, ctx: Context, shell: string): StepRuns {
  const m = SUBPROCESS_CLAUDE.exec(run.text) ?? /(^|\n)\s*claude\s/.exec(run.text);
  if (m) {
    const at = run.text.indexOf('claude', m.index);
    const received = otherShellEnvironment(
      stepEnv,
      shell,
      ctx,
      startFolder(step, ctx, scopeOf(ctx, stepEnv)),
    );
    const where = run.spanAt(at, at + 'claude'.length);
    return {
      runs: [newInvocation('cli', 'claude', where, step, ctx, /-p|--print/.test(run.text), received)],
    };
  }
  const credentials = liveCredentials([...stepEnv.values()].filter((b) => b.level === 'step'));
  if (credentials.length === 0) return { runs: [] };
  const received = processEnvironment(stepEnv.fork());
  const inv = newInvocation('opaque', `${shell} script`, step.run!.span, step, ctx, true, received);
  inv.opaque = opaqueNote(`the \`${shell}\` script`, credentials);
  return { runs: [inv] };
}

/** `FLAGS=(--print ...)` or `ARGS="-p ..."` earlier in the script: the expansion carries -p. */
function expansionsHoldPrint(names: string[], script: string): boolean {
  return names.some((name) => {
    const assigned = new RegExp(`(^|[\\s;])${name}\\+?=\\(?([^\\n]*)`, 'g');
    for (const m of script.matchAll(assigned))
      if (/(^|[\s("'])(-p|--print)(?=[\s)"']|$)/.test(m[2]!)) return true;
    return false;
  });
}

function isInstall(command: Command): boolean {
  return command.words.some((w) => ['install', 'i', 'add'].includes(w.text));
}

/** The words that start Claude Code: the package runner, if any, and the program. */
function claudeCommand(meaning: Extract<Meaning, { kind: 'claude-run' }>): string {
  return meaning.runner ? `${meaning.runner.name} ${meaning.program.text}` : meaning.program.text;
}

function claudeLabel(meaning: Extract<Meaning, { kind: 'claude-run' }>): string {
  const name = claudeCommand(meaning);
  return meaning.headless ? `${name} -p` : name;
}
