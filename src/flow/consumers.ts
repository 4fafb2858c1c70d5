import { isAssumed } from './maybe.js';
import { basename, programIndex, SCRIPT_RUNNERS, STARTS_NOTHING } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import { startsContainer } from './container-inputs.js';
import type { Level } from '../types.js';
import type { Binding, Resolved } from '../workflow/values.js';
import { variableOfOfficialInput } from './action-inputs.js';

/**
 * Opaque consumers: processes the engine cannot see into that a Claude credential reaches. Their route is
 * inferred from the credentials they receive, by the same precedence function as a recognised run.
 */

/** Credentials that make a process a Claude consumer; provider switches alone pick a cloud, not a payer. */
export const CLAUDE_CREDENTIALS: readonly string[] = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_FEDERATION_RULE_ID',
];
const IS_CLAUDE_CREDENTIAL = new Set(CLAUDE_CREDENTIALS);

export function isClaudeCredential(variable: string): boolean {
  return IS_CLAUDE_CREDENTIAL.has(variable);
}

/**
 * Whether a credential bound at this level was handed to one step on purpose (its own `env:` or `with:`,
 * its script, a `$GITHUB_ENV` write, a callee's input), rather than reaching every step of the job or
 * coming from a file Claude Code reads on its own.
 */
const HANDED_TO_STEP: Record<Level, boolean> = {
  workflow: false,
  job: false,
  container: false,
  // A service container is created with its own `env:`: what it holds is handed to that image.
  service: true,
  'github-env': true,
  step: true,
  script: true,
  'action-input': true,
  'settings-file': false,
  'credentials-file': false,
  'reusable-workflow': true,
  'composite-input': true,
  runner: false,
};

/** A consumer some step handed a live Claude credential on purpose: a run of its own, whatever else the job runs. */
export function handedOnPurpose(bindings: Iterable<Binding>): boolean {
  return liveCredentials(bindings).some((b) => HANDED_TO_STEP[b.level]);
}

/** The Claude credentials among bindings that may hold a value. */
export function liveCredentials(bindings: Iterable<Binding>): Binding[] {
  return [...bindings].filter(
    (b) => isClaudeCredential(b.variable) && b.value.presence !== 'empty' && !isAssumed(b.value),
  );
}

/**
 * An Anthropic API key alone also serves plain Messages API clients; it marks a Claude consumer only
 * where something in the job says Claude (the CLI or SDK installed, a name, the script).
 */
export function needsClaudeSignal(credentials: Binding[]): boolean {
  return credentials.every((b) => b.variable === 'ANTHROPIC_API_KEY');
}

export const CLAUDE_WORD = /claude/i;

/** Credentials, and provider switches turned on by a literal: what an explicit `with:` can hand a wrapper. */
export function liveRouteInputs(bindings: Iterable<Binding>): Binding[] {
  return [...bindings].filter(
    (b) =>
      (isClaudeCredential(b.variable) && b.value.presence !== 'empty') ||
      (/^CLAUDE_CODE_USE_/.test(b.variable) && /^(1|true|yes|on)$/i.test(b.value.literal ?? '')),
  );
}

/** Owners and actions that never run Claude Code: checkout, caches, artifacts, cloud logins, setup-*. */
const INERT_OWNERS = new Set([
  'actions',
  'github',
  'aws-actions',
  'google-github-actions',
  'azure',
  'docker',
  'hashicorp',
  'codecov',
  'peter-evans',
  'softprops',
  'astral-sh',
  'oven-sh',
  'pnpm',
  'denoland',
  'ruby',
  'dtolnay',
  'slackapi',
]);

export function isInertAction(uses: string): boolean {
  const owner = uses.trim().split('/')[0]!.toLowerCase();
  const repo = uses.trim().split('/')[1]?.split('@')[0]?.toLowerCase() ?? '';
  return INERT_OWNERS.has(owner) || /^(setup-|cache$|upload-artifact|download-artifact)/.test(repo);
}

/**
 * The variable an action input most likely becomes inside a wrapper, from its name and the secret it
 * carries: `anthropic-api-key`, `api-key: secrets.ANTHROPIC_API_KEY`, `claude_code_oauth_token`.
 */
export function variableForInput(name: string, value: Resolved): string | undefined {
  const words = [name, ...value.secrets, ...value.inputs].map((w) => w.toLowerCase().replace(/-/g, '_'));
  const claudeish = words.some((w) => /anthropic|claude/.test(w));
  for (const w of words) {
    if (/oauth/.test(w) && claudeish) return 'CLAUDE_CODE_OAUTH_TOKEN';
    if (/federation_rule/.test(w)) return 'ANTHROPIC_FEDERATION_RULE_ID';
    if (/anthropic_auth_token/.test(w)) return 'ANTHROPIC_AUTH_TOKEN';
    if (/api_?key/.test(w) && claudeish) return 'ANTHROPIC_API_KEY';
  }
  // Named as the official action names it (`use_bedrock`, `anthropic_organization_id`): what it becomes there.
  return variableOfOfficialInput(words[0]!);
}

/** Programs whose inside the engine does not read: interpreters, test runners, containers, scripts. */
const INTERPRETERS = new Set([
  // Every runner of an SDK script, and the languages and build tools that could start Claude too.
  ...SCRIPT_RUNNERS,
  'ruby',
  'go',
  'cargo',
  'java',
  'dotnet',
  'php',
  'perl',
  'make',
]);
const PROJECT_RUNNERS = new Set([
  'uv',
  'poetry',
  'pipenv',
  'hatch',
  'pdm',
  'npm',
  'pnpm',
  'yarn',
  'bun',
  'nox',
  'tox',
]);
const RUN_SUBCOMMANDS = new Set(['run', 'start', 'test', 'exec', 'x']);

/** The word naming a program this command runs that the engine cannot see into, if any. */
export function opaqueProgram(command: Command): Word | undefined {
  const words = command.words;
  const at = programIndex(words);
  const program = words[at];
  if (!program) return undefined;
  const name = basename(program.text);
  const sub = words.slice(at + 1).find((w) => !w.text.startsWith('-'))?.text;
  if (startsContainer(command)) return program;
  if (PROJECT_RUNNERS.has(name) && sub && RUN_SUBCOMMANDS.has(sub)) return program;
  if (PROJECT_RUNNERS.has(name) && !INTERPRETERS.has(name)) return undefined;
  if (INTERPRETERS.has(name)) {
    // `python --version`, `node -v`: a look at the interpreter, not a program.
    const rest = words.slice(at + 1);
    if (rest.length === 0 || rest.every((w) => /^--?(version|v|V|help|h)$/.test(w.text))) return undefined;
    // `python -c "..."`, `node -e "..."`: the code is right there, and read as such elsewhere.
    if (rest.some((w) => /^(-c|-e|--eval|-p|--print)$/.test(w.text))) return undefined;
    // `python -m pip install`, `python -m venv`: tooling, not the project's code.
    if (rest[0]?.text === '-m' && /^(pip|venv|ensurepip|virtualenv)$/.test(rest[1]?.text ?? ''))
      return undefined;
    return program;
  }
  // A name run time computes: `$CL`, a PowerShell `(...)` expression, a cmd `%CL%`.
  if (/^(\$\{?[A-Za-z_]|\(|%[A-Za-z_])/.test(program.text)) return program;
  if (program.text.includes('/') && !program.text.startsWith('/usr/') && !program.text.startsWith('/bin/'))
    return program;
  if (/\.(sh|py|js|mjs|ts|rb|pl)$/.test(name)) return program;
  return undefined;
}

/** Programs that run a project's tests. */
const TEST_RUNNERS: ReadonlySet<string> = new Set([
  'jest',
  'vitest',
  'mocha',
  'ava',
  'jasmine',
  'karma',
  'pytest',
  'py.test',
  'tox',
  'nox',
]);
/** Runners whose first operand is the program they run (`npx jest`). */
const PACKAGE_EXECUTORS = new Set(['npx', 'bunx', 'pnpx']);
/** Subcommands whose next operand is a script or program (`npm run test:unit`, `uv run pytest`). */
const RUNS_NEXT = new Set(['run', 'exec', 'x', 'dlx']);

const isTestName = (word: string | undefined): boolean =>
  word !== undefined && (TEST_RUNNERS.has(word) || /^test(?:[:-]|$)/.test(word));

/**
 * Whether a command runs a project's tests: a test runner (`jest`, `pytest`), a package manager's `test`
 * (`npm test`, `bun test`, `yarn test:unit`, `npm run test`), `go test`, `cargo test`, `python -m pytest`,
 * `make test`. Tests may start Claude with a credential handed to them on purpose, and rarely otherwise.
 */
export function isTestRunner(command: Command): boolean {
  const [program, ...rest] = command.words.slice(programIndex(command.words)).map((w) => basename(w.text));
  if (program === undefined) return false;
  const [first, second] = rest.filter((w) => !w.startsWith('-'));
  if (TEST_RUNNERS.has(program)) return true;
  if (/^(python3?|py)$/.test(program)) return rest[0] === '-m' && /^(pytest|unittest)$/.test(rest[1] ?? '');
  if (/^(go|cargo|dotnet|deno|make)$/.test(program)) return first === 'test';
  if (PACKAGE_EXECUTORS.has(program)) return isTestName(first);
  if (!PROJECT_RUNNERS.has(program)) return false;
  if (first === 't' || isTestName(first)) return true;
  return RUNS_NEXT.has(first ?? '') && isTestName(second);
}

/** A credential handed to a command's own step: its `env:`, or set by its script (`export`, a prefix). */
export function inOwnStep(credentials: Binding[]): boolean {
  return credentials.some((b) => b.level === 'step' || b.level === 'script');
}

/** Shells, package managers and what only installs or looks: never a consumer by name alone. */
const NOT_NAMED_CONSUMERS = new Set([
  ...['bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', 'pwsh', 'powershell', 'cmd', 'iex', 'irm'],
  ...['Invoke-Expression', 'Invoke-RestMethod', 'Invoke-WebRequest', 'Write-Host', 'Write-Output'],
  ...['npx', 'bunx', 'pnpx', 'claude'],
]);
const INSTALL_WORDS = new Set(['install', 'i', 'add', 'ci', 'sync', 'update', 'upgrade', 'setup', 'login']);

/**
 * Any other program a command starts by name (`mytool agent rebase`, `aider`): a consumer only when a
 * Claude credential is in its own step. Not one that starts nothing (`git`, `jq`, `eslint`), a shell, a
 * package manager, or an install (`x install`); `npx tool` is judged by the tool it runs.
 */
export function namedProgram(command: Command): Word | undefined {
  const words = command.words;
  const at = programIndex(words);
  let program = words[at];
  if (!program) return undefined;
  let name = basename(program.text);
  let rest = words.slice(at + 1);
  if (name === 'npx' || name === 'bunx' || name === 'pnpx') {
    const k = rest.findIndex((w) => !w.text.startsWith('-'));
    if (k === -1) return undefined;
    program = rest[k]!;
    name = basename(program.text.replace(/(?<=.)@[^/]*$/, ''));
    rest = rest.slice(k + 1);
  }
  if (
    STARTS_NOTHING.has(name) ||
    NOT_NAMED_CONSUMERS.has(name) ||
    PROJECT_RUNNERS.has(name) ||
    INTERPRETERS.has(name) ||
    /^(docker|podman|nerdctl|docker-compose|podman-compose)$/.test(name) ||
    !/^[A-Za-z_./]/.test(program.text)
  )
    return undefined;
  const operand = rest.find((w) => !w.text.startsWith('-'))?.text;
  return operand !== undefined && INSTALL_WORDS.has(operand) ? undefined : program;
}

/** How a person names the command: the program and its first operand (`python controller.py`). */
export function commandLabel(command: Command): string {
  const words = command.words.slice(programIndex(command.words));
  const operand = words.slice(1).find((w) => !w.text.startsWith('-'));
  return [words[0]?.text ?? '', operand?.text ?? ''].join(' ').trim();
}

/** The sentence an inferred row carries: what receives which credential, and that its inside was not seen. */
export function opaqueNote(what: string, credentials: Binding[]): string {
  const names = [...new Set(credentials.map((b) => b.variable))].join(', ');
  return `${what} receives ${names}; its inside was not checked`;
}
