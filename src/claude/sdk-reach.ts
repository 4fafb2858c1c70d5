import type { RepositoryFiles } from '../flow/environment.js';
import { repositoryPath } from '../flow/start-folder.js';
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

/**
 * How many local modules deep a script's imports are followed, how many files one command reads, and how
 * many imports of one file are looked for in the repository.
 */
const MAX_MODULE_DEPTH = 4;
const MAX_MODULES = 32;
const MAX_IMPORTS_A_FILE = 64;

/** `import … from './x'`, `import './x'`, `import('./x')`, `require('./x')`, `export … from './x'`. */
const JS_LOCAL_IMPORT = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*['"](\.{1,2}\/[^'"\n]+)['"]/g;
/** `from a.b import c, d` and `import a.b, e`, one statement a line. */
const PY_IMPORT =
  /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w ,\t]+)|import[ \t]+([\w., \t]+))/gm;
const JS_SUFFIXES = [
  '',
  '.js',
  '.mjs',
  '.cjs',
  '.ts',
  '.mts',
  '.cts',
  '.jsx',
  '.tsx',
  '/index.js',
  '/index.ts',
];

/** `a/./b/../c` as `a/c`; undefined for a path that leaves the repository. */
function normalPath(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return undefined;
  }
  return parts.join('/');
}

const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);

/** The repository paths a JavaScript or TypeScript file's relative imports may name. */
function jsModules(path: string, text: string): string[][] {
  return [...text.matchAll(JS_LOCAL_IMPORT)].map((m) => {
    const base = normalPath(folderOf(path) + m[1]!);
    if (base === undefined) return [];
    // TypeScript written for ES modules imports `./x.js` from the source `x.ts`.
    const typed = /\.(m|c)?js$/.test(base) ? [base.replace(/js$/, 'ts')] : [];
    return [...JS_SUFFIXES.map((s) => base + s), ...typed];
  });
}

/** The repository paths a Python file's imports may name: beside it, from the root, or relative. */
function pyModules(path: string, text: string): string[][] {
  const modules: string[] = [];
  for (const m of text.matchAll(PY_IMPORT)) {
    if (m[3] !== undefined) modules.push(...m[3].split(',').map((n) => n.trim()));
    else {
      const from = m[1]!;
      const names = m[2]!.split(',').map((n) => n.trim().split(/\s/)[0]!);
      modules.push(from, ...names.map((n) => `${from}${from.endsWith('.') ? '' : '.'}${n}`));
    }
  }
  const folder = folderOf(path);
  return modules
    .filter((name) => /^\.*\w/.test(name))
    .map((name) => {
      const dots = /^\.*/.exec(name)![0].length;
      const rel = name.slice(dots).replace(/\./g, '/');
      const bases = dots > 0 ? [folder + '../'.repeat(dots - 1)] : [folder, ''];
      return bases.flatMap((b) => {
        const at = normalPath(b + rel);
        return at === undefined ? [] : [`${at}.py`, `${at}/__init__.py`];
      });
    });
}

/**
 * Whether the file at `path` reaches the SDK: it imports it, or a module of the repository it imports
 * does (`./lib/review.mjs`, `from lib.review import run`), a bounded number of modules deep. Unread when
 * the file is not in the repository.
 */
function fileReach(path: string, repo: RepositoryFiles): SdkReach {
  const clean = normalPath(repositoryPath(path));
  if (clean === undefined || clean.includes('$')) return 'unread';
  const found = repo.read(clean);
  if (!found) return 'unread';
  const seen = new Set([clean]);
  let layer = [{ path: clean, text: found.text }];
  for (let depth = 0; layer.length > 0; depth++) {
    if (layer.some((f) => SDK_IMPORT.test(f.text))) return 'imports';
    if (depth === MAX_MODULE_DEPTH) break;
    const next: { path: string; text: string }[] = [];
    for (const file of layer) {
      const modules = /\.py$/.test(file.path)
        ? pyModules(file.path, file.text)
        : jsModules(file.path, file.text);
      for (const candidates of modules.slice(0, MAX_IMPORTS_A_FILE)) {
        if (seen.size >= MAX_MODULES) break;
        const hit = candidates.find((c) => !seen.has(c) && SCRIPT_FILE.test(c) && repo.read(c));
        if (hit === undefined) continue;
        seen.add(hit);
        next.push({ path: hit, text: repo.read(hit)!.text });
      }
    }
    layer = next;
  }
  return 'none';
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
