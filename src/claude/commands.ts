import {
  basename,
  casePatterns,
  INTERPRETERS,
  programIndex,
  SCRIPT_RUNNERS,
  STARTS_NOTHING,
} from '../shell/commands.js';
import { parsePowerShell, type PsScript } from '../shell/powershell.js';
import { cmdCode, parseCmd, type CmdScript } from '../shell/cmd.js';
import { parseShell, type Command, type Word } from '../shell/reader.js';
import type { Value } from '../workflow/model.js';
import { MODE_FLAGS } from './precedence.js';

/** What one simple command in a `run:` script means for Claude Code billing. */
export type Meaning =
  | {
      kind: 'claude-run';
      /** The word that names Claude (`claude`, `@anthropic-ai/claude-code`, a path to the binary). */
      program: Word;
      /** The package runner in front of it (`npx`, `bunx`, `pnpm dlx`), if any. */
      runner?: { name: string; word: Word };
      args: Word[];
      headless: boolean;
      /** Variables expanded into the arguments (`"${FLAGS[@]}"`): they may hold -p. */
      expandedArgs: string[];
      maxTurns: boolean;
      bare: boolean;
      /** `--restricted`: no user, project or local settings file is read. */
      restricted: boolean;
      settings?: Word;
      /** A program not known to the engine that starts Claude (`with-sandbox --net=none claude -p`). */
      wrapper?: Word;
    }
  | { kind: 'claude-auth'; program: Word; subcommand: Word }
  | { kind: 'claude-other'; program: Word }
  | { kind: 'lookalike'; word: Word; what: string }
  | { kind: 'sdk-install'; word: Word; pkg: string }
  | { kind: 'script-run'; program: Word }
  | { kind: 'other'; program?: Word };

export const CLAUDE_PACKAGE = '@anthropic-ai/claude-code';
export const SDK_NPM = '@anthropic-ai/claude-agent-sdk';
export const SDK_PIP = ['claude-agent-sdk', 'claude-code-sdk', 'claude_agent_sdk', 'claude_code_sdk'];
const LOOKALIKE_PACKAGES = new Map([
  ['claude-code', 'the npm package `claude-code`, which is not Anthropic’s'],
  ['@anthropic-ai/claude-cli', '`@anthropic-ai/claude-cli`, a package Anthropic does not publish'],
  [
    '@anthropic/claude-code',
    '`@anthropic/claude-code`, a misspelt scope (Anthropic publishes `@anthropic-ai/claude-code`)',
  ],
]);
const NON_RUN_SUBCOMMANDS = new Set([
  'mcp',
  'config',
  'update',
  'upgrade',
  'install',
  'doctor',
  'migrate-installer',
  'plugin',
  'plugins',
  'agents',
  'completion',
  '--version',
  '-v',
  '-V',
  '--help',
  '-h',
]);
const AUTH_SUBCOMMANDS = new Set(['login', 'logout', 'setup-token']);
const LOCAL_SLASH_COMMANDS =
  /^\/(plugins?|mcp|config|doctor|help|status|cost|usage|stats|install-github-app|terminal-setup)\b/;

function packageName(spec: string): string {
  // `@scope/name@1.2` and `name@latest` both name the package without the version.
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return (at === -1 ? spec : spec.slice(0, at)).toLowerCase();
}

/** Flags that stop a headless run on their own: a turn limit or a budget in dollars. */
export function isSpendLimit(word: string): boolean {
  return /^--(max-turns|max-budget-usd)(=|$)/.test(word);
}

/** `--help` or `--version` anywhere (`claude setup-token --help`): Claude Code prints and exits. */
const PRINTS_AND_EXITS = new Set(['--help', '-h', '--version', '-v', '-V']);

function claudeArgs(program: Word, args: Word[]): Meaning {
  const first = args[0];
  if (args.some((w) => PRINTS_AND_EXITS.has(w.text))) return { kind: 'claude-other', program };
  if (first && AUTH_SUBCOMMANDS.has(first.text)) return { kind: 'claude-auth', program, subcommand: first };
  if (first?.text === 'auth') {
    const second = args[1];
    if (second && AUTH_SUBCOMMANDS.has(second.text))
      return { kind: 'claude-auth', program, subcommand: second };
    return { kind: 'claude-other', program };
  }
  if (first && NON_RUN_SUBCOMMANDS.has(first.text)) return { kind: 'claude-other', program };
  const slashLogin = args.find((w) => /^\/(login|logout)\b/.test(w.text.trim()));
  if (slashLogin) return { kind: 'claude-auth', program, subcommand: slashLogin };
  // Local slash commands (`claude /plugin install x`) manage the installation and call no model.
  if (first && LOCAL_SLASH_COMMANDS.test(first.text.trim())) return { kind: 'claude-other', program };
  let settings: Word | undefined;
  args.forEach((w, k) => {
    if (w.text === '--settings' && args[k + 1]) settings = args[k + 1];
    else if (w.text.startsWith('--settings=')) {
      settings = { ...w, text: w.text.slice('--settings='.length) };
    }
  });
  const meaning: Meaning = {
    kind: 'claude-run',
    program,
    args,
    headless: args.some((w) => w.text === '-p' || w.text === '--print' || /^-[cdr]*p[cdr]*$/.test(w.text)),
    expandedArgs: args
      .filter((w) => /^\$(\{[A-Za-z_]\w*(\[[@*]\])?\}|[A-Za-z_]\w*|@|\*)$/.test(w.text))
      .map((w) => w.text.replace(/[${}]|\[[@*]\]/g, '')),
    maxTurns: args.some((w) => isSpendLimit(w.text)),
    bare: args.some((w) => w.text === MODE_FLAGS.CLAUDE_CODE_SIMPLE),
    restricted: args.some((w) => w.text === MODE_FLAGS.CLAUDE_CODE_RESTRICTED),
  };
  if (settings) meaning.settings = settings;
  return meaning;
}

/** `"$(which claude)"`, `$(command -v claude)`, `` `which claude` ``: the path of the same binary. */
const LOOKUP_CLAUDE = /^(\$\(|`)\s*(which|command\s+-v|type\s+-[pP])\s+claude\s*(\)|`)$/;
const CLI_ENTRY = /(^|\/)@anthropic-ai\/claude-code\/cli\.m?js$|^npm:@anthropic-ai\/claude-code(@[^/\s]*)?$/;

/** `node …/@anthropic-ai/claude-code/cli.js`, `deno run -A npm:@anthropic-ai/claude-code`: the index of the entry word. */
function claudeEntryPoint(words: Word[], index: number): number | undefined {
  const name = basename(words[index]!.text);
  if (name !== 'node' && name !== 'bun' && name !== 'deno') return undefined;
  for (let k = index + 1; k < words.length; k++) {
    const t = words[k]!.text;
    if (name === 'deno' && t === 'run') continue;
    if (t.startsWith('-')) continue;
    return CLI_ENTRY.test(t) ? k : undefined;
  }
  return undefined;
}

/** Reads the package runner forms: npx, bunx, pnpm dlx, yarn dlx, npm exec. */
function packageRunner(
  words: Word[],
  start: number,
  runner: { name: string; word: Word },
): Meaning | undefined {
  let i = start;
  let explicitPackage: string | undefined;
  while (i < words.length) {
    const t = words[i]!.text;
    if (t === '--') {
      i++;
      break;
    }
    if (t === '-p' || t === '--package') {
      explicitPackage = words[i + 1]?.text;
      i += 2;
    } else if (t.startsWith('--package=')) {
      explicitPackage = t.slice('--package='.length);
      i++;
    } else if (t.startsWith('-')) i++;
    else break;
  }
  const target = words[i];
  if (!target) return undefined;
  const pkg = packageName(explicitPackage ?? target.text);
  const lookalike = LOOKALIKE_PACKAGES.get(pkg);
  if (lookalike) return { kind: 'lookalike', word: target, what: lookalike };
  if (pkg === CLAUDE_PACKAGE || (!explicitPackage && target.text === 'claude')) {
    const meaning = claudeArgs(target, words.slice(i + 1));
    if (meaning.kind === 'claude-run') meaning.runner = runner;
    return meaning;
  }
  if (['tsx', 'ts-node', 'vitest', 'jest'].includes(pkg)) return { kind: 'script-run', program: target };
  return undefined;
}

const INSTALL_VERBS = new Set(['i', 'install', 'add']);

function installedPackages(words: Word[], index: number): Word[] | undefined {
  const name = basename(words[index]!.text);
  const rest = words.slice(index + 1);
  const verbIndex = rest.findIndex((w) => !w.text.startsWith('-'));
  const verb = rest[verbIndex]?.text;
  if (['npm', 'pnpm', 'yarn', 'bun', 'poetry', 'uv', 'pipx', 'pip', 'pip3'].includes(name)) {
    if (name === 'uv' && verb === 'pip') return rest.slice(verbIndex + 2);
    if (verb && (INSTALL_VERBS.has(verb) || (name === 'yarn' && verb === 'global'))) {
      return rest.slice(verbIndex + 1).filter((w) => !w.text.startsWith('-'));
    }
  }
  if ((name === 'python' || name === 'python3') && rest[0]?.text === '-m' && rest[1]?.text === 'pip') {
    return rest.slice(3).filter((w) => !w.text.startsWith('-'));
  }
  return undefined;
}

export function meaningOf(command: Command): Meaning {
  const words = command.words;
  const index = programIndex(words);
  const program = words[index];
  if (!program) return { kind: 'other' };
  const name = basename(program.text);

  if (name === 'claude' || LOOKUP_CLAUDE.test(program.text))
    return claudeArgs(program, words.slice(index + 1));
  const entry = claudeEntryPoint(words, index);
  if (entry !== undefined) return claudeArgs(words[entry]!, words.slice(entry + 1));
  if (name === 'claude-code')
    return {
      kind: 'lookalike',
      word: program,
      what: 'a `claude-code` binary, which is not Anthropic’s CLI (that one is `claude`)',
    };
  if (name === 'npx' || name === 'bunx' || name === 'pnpx')
    return packageRunner(words, index + 1, { name, word: program }) ?? { kind: 'other', program };
  const sub = words[index + 1]?.text;
  if (
    ((name === 'npm' && (sub === 'exec' || sub === 'x')) ||
      ((name === 'pnpm' || name === 'yarn') && (sub === 'dlx' || sub === 'exec')) ||
      (name === 'bun' && sub === 'x')) &&
    words.length > index + 2
  ) {
    return (
      packageRunner(words, index + 2, { name: `${name} ${sub}`, word: program }) ?? { kind: 'other', program }
    );
  }

  const wrapped = wrappedClaude(words, index);
  if (wrapped !== undefined) {
    const meaning = claudeArgs(words[wrapped]!, words.slice(wrapped + 1));
    if (meaning.kind === 'claude-run') meaning.wrapper = program;
    return meaning;
  }

  const installed = installedPackages(words, index);
  if (installed) {
    for (const w of installed) {
      const pkg = packageName(w.text.replace(/[=<>~!].*$/, '').replace(/\[.*\]$/, ''));
      const lookalike = LOOKALIKE_PACKAGES.get(pkg);
      if (lookalike && !['pip', 'pip3', 'uv', 'poetry', 'pipx'].includes(name))
        return { kind: 'lookalike', word: w, what: lookalike };
      if (pkg === SDK_NPM || SDK_PIP.includes(pkg)) return { kind: 'sdk-install', word: w, pkg };
    }
    return { kind: 'other', program };
  }

  if (SCRIPT_RUNNERS.has(name)) return { kind: 'script-run', program };
  if (['uv', 'poetry', 'pipenv', 'hatch', 'pdm'].includes(name) && sub === 'run')
    return { kind: 'script-run', program };
  if (['npm', 'pnpm', 'yarn'].includes(name) && (sub === 'run' || sub === 'start' || sub === 'test')) {
    return { kind: 'script-run', program };
  }
  return { kind: 'other', program };
}

/** Programs that run a file, a recipe or a package by name: `just claude review` runs no program `claude`. */
const RUNS_BY_NAME = new Set([
  ...SCRIPT_RUNNERS,
  ...['npm', 'pnpm', 'yarn', 'npx', 'bunx', 'pnpx', 'uv', 'poetry', 'pipenv', 'hatch', 'pdm', 'nox', 'tox'],
  ...[
    'make',
    'just',
    'task',
    'rake',
    'invoke',
    'cargo',
    'go',
    'gradle',
    'mvn',
    'docker',
    'podman',
    'kubectl',
  ],
]);

/**
 * `with-sandbox --net=none claude -p ...`, `sandbox-runtime claude "review"`: Claude is the command operand
 * of a program the engine does not know (the first word past that program's options), followed by Claude's
 * options or a quoted prompt. The index of the `claude` word. An option written just before `claude`
 * without `=` may take it as its value (`mytool --agent claude`), so that is no run.
 */
function wrappedClaude(words: Word[], index: number): number | undefined {
  const name = basename(words[index]!.text);
  // A word shaped like an assignment that bash did not read as one (brace expansion made it) names no program.
  if (STARTS_NOTHING.has(name) || RUNS_BY_NAME.has(name) || /^-|^[A-Za-z_]\w*=/.test(name)) return undefined;
  let k = index + 1;
  while (k < words.length && /^-./.test(words[k]!.text)) {
    if (!words[k]!.text.includes('=') && basename(words[k + 1]?.text ?? '') === 'claude') return undefined;
    k++;
  }
  if (basename(words[k]?.text ?? '') !== 'claude') return undefined;
  const next = words[k + 1];
  const claudeFollows =
    next !== undefined && (next.text.startsWith('-') || next.quoted || next.text.includes('$'));
  return claudeFollows ? k : undefined;
}

export const SDK_IMPORT =
  /\b(?:from|import)\s+claude_(?:agent|code)_sdk\b|(?:require|import)\s*\(\s*['"]@anthropic-ai\/claude-agent-sdk|from\s+['"]@anthropic-ai\/claude-agent-sdk/;
const INLINE_CODE_FLAGS = new Set(['-c', '-e', '--eval', '-p', '--print']);
/** Interpreters whose inline code (`perl -e`, `ruby -e`) may start a program, though they run no SDK script. */
/**
 * The code an interpreter is given inline (`python -c CODE`, `node -e CODE`) or on standard input from a
 * heredoc, with where it starts in the script (the word's own place when it is quoted across).
 */
export function interpreterCode(command: Command): { text: string; start: number; end: number } | undefined {
  const index = programIndex(command.words);
  if (!INTERPRETERS.has(basename(command.words[index]?.text ?? ''))) return undefined;
  const k = command.words.findIndex((_, j) => j > index && INLINE_CODE_FLAGS.has(command.words[j - 1]!.text));
  const word = command.words[k];
  if (word) return { text: word.text, start: word.quoted ? word.start + 1 : word.start, end: word.end };
  const heredoc = command.heredocs[0];
  return (
    heredoc && { text: heredoc.body, start: heredoc.bodyStart, end: heredoc.bodyStart + heredoc.body.length }
  );
}

/** Inline code that imports the Agent SDK: `python -c`, `node -e`, or a heredoc the interpreter reads. */
export function importsAgentSdk(command: Command): boolean {
  const index = programIndex(command.words);
  const name = basename(command.words[index]?.text ?? '');
  if (!SCRIPT_RUNNERS.has(name)) return false;
  const inline = command.words.filter(
    (_, k) => k > index && INLINE_CODE_FLAGS.has(command.words[k - 1]!.text),
  );
  const runs = (code: string): boolean => SDK_IMPORT.test(code) && SDK_CALL.test(code);
  return inline.some((w) => runs(w.text)) || command.heredocs.some((h) => runs(h.body));
}

/** Inline code that only imports the SDK (`python -c "import claude_agent_sdk"`) checks an install; a run calls it. */
const SDK_CALL = /\bquery\s*\(|ClaudeSDKClient|\.query\s*\(|\brun\s*\(|asyncio/;

/** A `run:` script read once: its commands and what each means. */
export interface ScriptFacts {
  commands: Command[];
  meanings: Meaning[];
}

const scriptCache = new WeakMap<Value, ScriptFacts>();

/** The commands of a `run:` script and their meanings, read once for the engine and every rule. */
export function scriptFacts(run: Value): ScriptFacts {
  let facts = scriptCache.get(run);
  if (!facts) {
    const commands = parseShell(run.text).map((c) => withCmdCode(c, run.text));
    const patterns = casePatterns(commands, run.text);
    facts = {
      commands,
      meanings: commands.map((c, k) =>
        patterns.has(k) ? { kind: 'other' as const, program: c.words[0]! } : meaningOf(c),
      ),
    };
    scriptCache.set(run, facts);
  }
  return facts;
}

/** A PowerShell script read once: its commands and their meanings, and what the reader kept besides. */
export interface PowerShellFacts extends ScriptFacts, PsScript {}

/** A cmd.exe script read once: its commands and their meanings, and what the reader kept besides. */
export interface CmdFacts extends ScriptFacts, CmdScript {}

/** A script of a reader that gives items, some of them commands. */
type ItemScript = { items: ({ kind: string } | { kind: 'command'; command: Command })[] };

/** A script read once by `parse`, with its commands (and the code they hand cmd.exe) and their meanings. */
function readOnce<S extends ItemScript>(
  run: Value,
  cache: WeakMap<Value, S & ScriptFacts>,
  parse: (text: string) => S,
): S & ScriptFacts {
  let facts = cache.get(run);
  if (!facts) {
    const script = parse(run.text);
    const commands = script.items.flatMap((item) =>
      'command' in item ? [withCmdCode(item.command, run.text)] : [],
    );
    facts = { ...script, commands, meanings: commands.map(meaningOf) };
    cache.set(run, facts);
  }
  return facts;
}

const powershellCache = new WeakMap<Value, PowerShellFacts>();
const cmdCache = new WeakMap<Value, CmdFacts>();

export function powershellFacts(run: Value): PowerShellFacts {
  return readOnce(run, powershellCache, parsePowerShell);
}

export function cmdFacts(run: Value): CmdFacts {
  return readOnce(run, cmdCache, parseCmd);
}

/** `cmd /c "set X=& claude -p"` from bash or PowerShell: the code cmd.exe runs, read by the cmd reader. */
function withCmdCode(command: Command, script: string): Command {
  const code = command.inline?.some((c) => 'shell' in c) ? undefined : cmdCode(command, script);
  if (code) command.inline = [...(command.inline ?? []), code];
  return command;
}

/** Installs of what the repository declares: they may bring in the Agent SDK from a manifest. */
export const INSTALLS =
  /\b(uv\s+sync|pip3?\s+install\s+(-e|-r|\.)|(poetry|pdm)\s+install|(npm|pnpm|bun)\s+(ci|install|i)\b)/;
