import { CLAUDE_WORD, liveCredentials, opaqueNote } from '../flow/consumers.js';
import { scopeOf } from '../flow/boundaries.js';
import { processEnvironment, type Environment } from '../flow/environment.js';
import { otherShellEnvironment } from '../flow/command-flow.js';
import { basename } from '../shell/commands.js';
import type { ShellKind } from '../flow/shell-effects.js';
import type { Step, Value } from '../workflow/model.js';
import { newInvocation, type Context, type Invocation } from './invocations.js';
import { startFolder, type ScriptScan, type StepRuns } from './script-runs.js';
import { SUBPROCESS_CLAUDE } from './command-runs.js';

/**
 * Scripts for shells other than bash: which reader reads a step's shell, what the PowerShell reader
 * could not read, and a script for a shell no reader reads.
 */

/** `cmd`, `cmd.exe`, GitHub's `%ComSpec% /D /E:ON ...`: a script read by the cmd.exe reader. */
export function isCmd(shell: string): boolean {
  const program = basename(shell.trim().split(/\s+/)[0]!.replace(/\\/g, '/'));
  return /^(cmd(\.exe)?|%comspec%)$/i.test(program);
}

/** A `cmd /c` code's shell: the cmd.exe reader reads it. */
export const CMD_SHELL: ShellKind = { kind: 'other', text: 'cmd' };

/** `pwsh`, `powershell`, `pwsh -command ". '{0}'"`: a script read by the PowerShell reader. */
export function isPowerShell(shell: string): boolean {
  return /^(pwsh|powershell)(\.exe)?$/i.test(basename(shell.trim().split(/\s+/)[0]!.replace(/\\/g, '/')));
}

/**
 * What the PowerShell reader could not read, where the text from there (or, for text run at run time,
 * anywhere) names Claude: an `unknown` run at that place with the reason, never dropped in silence.
 */
export function unreadPowerShell(
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

/** The PowerShell commands and aliases that change the current folder. */
/** The cmd.exe commands that change the current folder. */
export const CMD_CD = /(^|[\s&|(@])(cd|chdir|pushd|popd)(?=[\s&|)\\/.]|$)/im;
export const POWERSHELL_CD =
  /(^|[\s;|&({])(cd|chdir|sl|Set-Location|Push-Location|pushd|popd|Pop-Location)(?=[\s;)}]|$)/im;

/** A script for a shell other than bash: a Claude run in it is seen, but what it removes is not. */
export function otherShellRuns(
  step: Step,
  run: Value,
  stepEnv: Environment,
  ctx: Context,
  shell: string,
): StepRuns {
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
