import type { RepositoryFiles } from '../flow/environment.js';
import { repositoryPath } from '../flow/script.js';
import { basename, programIndex } from '../shell/commands.js';
import { parseShell, type Command } from '../shell/reader.js';
import { SDK_IMPORT } from './commands.js';

/*
 * A manifest is not a run: the Agent SDK among a repository's dependencies makes a command a Claude run
 * only when what the command runs can reach it, which is a script file that imports it. This reads the
 * file a command runs (`node scripts/review.mjs`, `python tools/review.py`, `uv run python x.py`, or a
 * package script whose command is such a file) and says whether it imports the SDK.
 */

/**
 * `imports`: a file the command runs imports the SDK. `none`: every file it runs was read and none does.
 * `unread`: what it runs is not a file this can read (a test runner, a module, a computed path).
 */
export type SdkReach = 'imports' | 'none' | 'unread';

/** Programs whose first argument that is not an option is the script file they run. */
const FILE_RUNNERS: ReadonlySet<string> = new Set(['node', 'python', 'python3', 'py', 'tsx', 'ts-node']);
/** Package managers whose `run NAME` (and `test`, `start`) runs a script of package.json. */
const PACKAGE_MANAGERS: ReadonlySet<string> = new Set(['npm', 'pnpm', 'yarn', 'bun']);
/** Runners whose `run` subcommand runs the rest as a command. */
const ENVIRONMENT_RUNNERS: ReadonlySet<string> = new Set(['uv', 'poetry', 'pipenv', 'hatch', 'pdm']);
/**
 * Tools that lint, check, format or build and start no agent: what they run is the repository's code as
 * data, never as a program that might import the SDK. (A test runner is not among them: tests may.)
 */
const NOT_RUNS: ReadonlySet<string> = new Set([
  'eslint',
  'tsc',
  'prettier',
  'biome',
  'oxlint',
  'stylelint',
  'vite',
  'webpack',
  'rollup',
  'esbuild',
  'tsup',
  'electron-builder',
  'ruff',
  'black',
  'mypy',
  'pyright',
  'flake8',
  'pylint',
  'isort',
]);
/** How many package scripts deep a command is followed (`npm run a` whose command is `npm run b`). */
const MAX_HOPS = 3;

const SCRIPT_FILE = /\.(m?[jt]s|c[jt]s|py)$/;

function worst(a: SdkReach, b: SdkReach): SdkReach {
  if (a === 'imports' || b === 'imports') return 'imports';
  return a === 'unread' || b === 'unread' ? 'unread' : 'none';
}

/** Whether the file at `path` imports the SDK; unread when it is not in the repository. */
function fileReach(path: string, repo: RepositoryFiles): SdkReach {
  const clean = repositoryPath(path);
  if (clean.includes('$')) return 'unread';
  const found = repo.read(clean);
  if (!found) return 'unread';
  return SDK_IMPORT.test(found.text) ? 'imports' : 'none';
}

/** The first word after `from` that is not an option: the file or name a program runs. */
function firstOperand(words: string[], from: number): { word?: string; at: number } {
  for (let k = from; k < words.length; k++) {
    const w = words[k]!;
    if (w === '-m' || w === '-c' || w === '-e') return { at: k };
    if (!w.startsWith('-')) return { word: w, at: k };
  }
  return { at: words.length };
}

/** The command of a package.json script, if the repository has it. */
function packageScript(name: string, repo: RepositoryFiles): string | undefined {
  const text = repo.read('package.json')?.text;
  if (!text) return undefined;
  try {
    const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts;
    const command = scripts?.[name];
    return typeof command === 'string' ? command : undefined;
  } catch {
    return undefined;
  }
}

function wordsReach(words: string[], repo: RepositoryFiles, hops: number): SdkReach {
  const [program, ...rest] = words;
  if (!program) return 'unread';
  const name = basename(program);
  if (NOT_RUNS.has(name)) return 'none';
  if (SCRIPT_FILE.test(program)) return fileReach(program, repo);
  if (FILE_RUNNERS.has(name)) {
    const { word } = firstOperand(rest, 0);
    return word && SCRIPT_FILE.test(word) ? fileReach(word, repo) : 'unread';
  }
  if (name === 'deno' && rest[0] === 'run') return wordsReach(['node', ...rest.slice(1)], repo, hops);
  if (ENVIRONMENT_RUNNERS.has(name) && rest[0] === 'run') return wordsReach(rest.slice(1), repo, hops);
  if (PACKAGE_MANAGERS.has(name)) {
    const sub = rest[0];
    const script = sub === 'run' ? rest[1] : sub === 'test' || sub === 'start' ? sub : undefined;
    if (name === 'bun' && sub && sub !== 'run' && SCRIPT_FILE.test(sub)) return fileReach(sub, repo);
    if (name === 'bun' && sub === 'run' && rest[1] && SCRIPT_FILE.test(rest[1]))
      return fileReach(rest[1], repo);
    const command = script && packageScript(script, repo);
    if (command === undefined || hops >= MAX_HOPS) return 'unread';
    return scriptTextReach(command, repo, hops + 1);
  }
  return 'unread';
}

/** What a package script's command line reaches, over each of its commands. */
function scriptTextReach(text: string, repo: RepositoryFiles, hops: number): SdkReach {
  const commands = parseShell(text).filter((c) => !c.nested);
  if (commands.length === 0) return 'unread';
  return commands.map((c) => commandReach(c, repo, hops)).reduce(worst);
}

/** Whether the command can reach the Agent SDK through a file it runs. */
export function commandReach(command: Command, repo: RepositoryFiles, hops = 0): SdkReach {
  const words = command.words.slice(programIndex(command.words)).map((w) => w.text);
  return wordsReach(words, repo, hops);
}
