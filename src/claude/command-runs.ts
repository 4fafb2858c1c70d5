import { inOwnStep, isTestRunner, liveCredentials, needsClaudeSignal } from '../flow/consumers.js';
import type { RunTimeCode } from '../flow/command-flow.js';
import { basename, filledAtRunTime, programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import { interpreterCode, type Meaning } from './commands.js';
import { newInvocation, type Invocation } from './invocations.js';
import { MODE_FLAGS, switchValueState } from './precedence.js';
import type { ScriptScan } from './script-runs.js';
import { commandReach } from './sdk-reach.js';

/**
 * The run one command of a script starts, with the environment flow gives that command: Claude Code under
 * any spelling, a look-alike, the Agent SDK, or Claude started from an interpreter's inline code.
 */

/** Code in another language that starts `claude` as a subprocess. */
export const SUBPROCESS_CLAUDE =
  /(subprocess\.\w+|os\.(system|popen)|Popen|spawn|exec\w*|execa|system|Start-Process|&)\s*\(?\s*\[?\s*["']claude\b/;

/**
 * `python -c '...subprocess.run(["claude", ...])'`, `node -e "execSync('claude -p')"`, or a heredoc fed to
 * the interpreter: code in a language this reader does not follow starts Claude, so the run is there and
 * what that code does to its environment first is run time's.
 */
export function interpreterRun(scan: ScriptScan, command: Command): Invocation | undefined {
  const code = interpreterCode(command);
  const m = code && SUBPROCESS_CLAUDE.exec(code.text);
  if (!code || !m) return undefined;
  const at = code.text.indexOf('claude', m.index);
  const exact = scan.run.text.slice(code.start, code.start + code.text.length) === code.text;
  const where = exact
    ? scan.run.spanAt(code.start + at, code.start + at + 'claude'.length)
    : scan.run.spanAt(code.start, code.end);
  const received = scan.flow.runEnvironment(scan.flow.commandEnvironment(command.words), {
    words: command.words,
  });
  const program = basename(command.words[programIndex(command.words)]!.text);
  received.undecided ??= `the \`${program}\` code that starts claude may change its environment first, and is not read`;
  const headless = /(^|[\s'",[])(-p|--print)\b/.test(code.text.slice(at));
  return newInvocation('cli', 'claude', where, scan.step, scan.ctx, headless, received);
}

/** `claude ...` under any spelling: a CLI run, headless with `-p`, with its command's environment. */
export function claudeRun(
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
  const received = flow.runEnvironment(commandEnv, {
    words: command.words,
    args: meaning.args,
    restricted,
    ...(meaning.settings && { settings: meaning.settings }),
  });
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

/**
 * Whether a script run is the agent: it imports the SDK inline, or a file it runs does. One that runs
 * what cannot be read (a test runner, a module) after the job installed the SDK by name may be the agent:
 * an inferred run that says what was not read. After only a manifest that declares the SDK, it is no run.
 */
export function sdkRunOf(
  scan: ScriptScan,
  command: Command,
  importsSdk: boolean,
): { unread?: string } | undefined {
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
export function sdkRun(scan: ScriptScan, command: Command, where: Word, unread?: string): Invocation {
  const received = scan.flow.runEnvironment(scan.flow.commandEnvironment(command.words), {
    words: command.words,
  });
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

/** `FLAGS=(--print ...)` or `ARGS="-p ..."` earlier in the script: the expansion carries -p. */
function expansionsHoldPrint(names: string[], script: string): boolean {
  return names.some((name) => {
    const assigned = new RegExp(`(^|[\\s;])${name}\\+?=\\(?([^\\n]*)`, 'g');
    for (const m of script.matchAll(assigned))
      if (/(^|[\s("'])(-p|--print)(?=[\s)"']|$)/.test(m[2]!)) return true;
    return false;
  });
}

/** The words that start Claude Code: the package runner, if any, and the program. */
function claudeCommand(meaning: Extract<Meaning, { kind: 'claude-run' }>): string {
  return meaning.runner ? `${meaning.runner.name} ${meaning.program.text}` : meaning.program.text;
}

function claudeLabel(meaning: Extract<Meaning, { kind: 'claude-run' }>): string {
  const name = claudeCommand(meaning);
  return meaning.headless ? `${name} -p` : name;
}

/**
 * Code only run time knows, run in the script's shell (`eval "$(printf ...)"`, `source "$F"`): it may
 * start Claude with any credential in reach, so it is a run whose route run time decides, the
 * subscription among its outcomes when a token may be live. An API key alone counts where something in
 * the job says Claude, as for any program the engine cannot see into.
 */
export function runTimeRun(scan: ScriptScan, command: Command, code: RunTimeCode): Invocation | undefined {
  const env = scan.flow.commandEnvironment(command.words);
  const credentials = liveCredentials(env.values());
  if (credentials.length === 0 || (needsClaudeSignal(credentials) && !scan.claudeSignal)) return undefined;
  const received = scan.flow.runEnvironment(env);
  received.undecided = code.why;
  const where = scan.run.spanAt(code.start, code.end);
  return newInvocation('opaque', code.label, where, scan.step, scan.ctx, true, received);
}
