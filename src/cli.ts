import { resolve } from 'node:path';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { collectingGarbage } from './memory.js';
import { withPlainEnv } from './plain-env.js';
import { isWithin, noLinkBelow, readRegularFile } from './files.js';
import {
  DEFAULT_MAX_BYTES,
  loadFiles,
  parseSize,
  UsageError,
  type LoadOptions,
  type LoadProblem,
  type SourceInput,
} from './load.js';
import { jsonText, terminalText } from './report/escape.js';
import { ALL_LISTED_IN_SUMMARY, formatGithub } from './report/github.js';
import { appendJobSummary, linkBase } from './report/job-summary.js';
import { formatSummary } from './report/summary.js';
import { jsonReportPieces } from './report/json.js';
import { formatSarif } from './report/sarif.js';
import { writeInBatches } from './report/stream.js';
import { formatRuntimeText } from './report/runtime-text.js';
import { textLines, textOptions } from './report/text.js';
import { analyseRuntime } from './passes/runner.js';
import { probeRunner } from './runtime/probe.js';
import { serverFor } from './sources/address.js';
import type { RemoteLookup } from './sources/remote.js';
import { loadPolicy, loadRepoPolicy } from './policy/load.js';
import { didYouMean, PolicyError, type Policy } from './policy/policy.js';
import { explainRule, listRules } from './rules/docs.js';
import { ALL_RULE_IDS } from './rules/index.js';
import { FAIL_ON_LEVELS, failsOn, type FailOn } from './policy/fail-on.js';
import { scan, type Report } from './scan.js';
import { CONFIDENCES, sureEnough, type Confidence } from './types.js';
import { VERSION } from './version.js';
import { knownWithoutReading } from './claude/actions.js';
import { verifyRunCli } from './runlog/cli.js';

const USAGE = `Usage: claude-route-guard [paths...] [options]

Finds every Claude Code run in GitHub Actions workflows and says who bills it.
A first word org, merge or verify-run is a subcommand (--help after it says more); ./org is a folder.
Paths are files or folders (default: the repository here, that is its .github/workflows,
.github/actions and every action.yml outside node_modules, vendor, tests and docs; inside .github,
its own). A folder holding .git or .github (or any folder with
--repo) is scanned as that repository, as from inside it; another folder, every YAML file under
it. A path with no .yml or .yaml file under it is a usage error.

Options:
  --format text|json|sarif|github   output format (default: text; --runtime: text or json)
  --compact                         text only: one line per finding (file:line:col: severity[rule]: message),
                                    then one per reference not followed and per file skipped
  --config FILE                     one policy file for every path (default: each repository's own
                                    .github/claude-route-guard.yml, if present)
  --fail-on error|warning|notice|never
                                    exit 1 when a finding is at least this severe (default: the
                                    policy's fail-on, else error)
  --min-confidence ${CONFIDENCES.join('|')}
                                    report only findings at least this sure, in every format and
                                    for the exit status (default: low, every finding)
  --max-file-size BYTES             files over this size are reported, not read (default 5M)
  --repo OWNER/NAME                 the one repository scanned, so uses: OWNER/NAME/path@ref is
                                    read locally (default: each repository's git remote origin)
  --resolve-remote                  read remote actions and reusable workflows through the GitHub
                                    API (token from GITHUB_TOKEN or GH_TOKEN, base GITHUB_API_URL);
                                    without it no request is made and their rows stay inferred
  --cache-dir DIR                   where SHA-pinned remote callees are kept (default: the user's
                                    cache folder, claude-route-guard)
  --runtime                         check this machine instead: which credentials are set (shape
                                    only, never values), stored logins, settings, the route
  --list-rules                      print the rule catalogue
  --explain RULE                    print a rule's docs page
  -h, --help                        print this help
  -V, --version                     print the version
Exit status: 0 clean, 1 findings reported at or above --fail-on, 2 usage or I/O error.`;

const OPTIONS = {
  format: { type: 'string', default: 'text' },
  compact: { type: 'boolean', default: false },
  config: { type: 'string' },
  'fail-on': { type: 'string' },
  'min-confidence': { type: 'string' },
  'list-rules': { type: 'boolean', default: false },
  runtime: { type: 'boolean', default: false },
  'max-file-size': { type: 'string' },
  repo: { type: 'string' },
  'resolve-remote': { type: 'boolean', default: false },
  'cache-dir': { type: 'string' },
  explain: { type: 'string' },
  help: { type: 'boolean', default: false, short: 'h' },
  version: { type: 'boolean', default: false, short: 'V' },
} as const;

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

type ValueOption = {
  [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K]['type'] extends 'string' ? K : never;
}[keyof typeof OPTIONS];

/** What each option that takes a value wants, said when the value is missing. */
const VALUE_WANTED: Record<ValueOption, string> = {
  format: `one of ${FORMATS.join(', ')}`,
  config: 'a policy file',
  'fail-on': `one of ${FAIL_ON_LEVELS.join(', ')}`,
  'min-confidence': `one of ${CONFIDENCES.join(', ')}`,
  'max-file-size': 'a size such as 512k or 5M',
  repo: 'owner/name',
  'cache-dir': 'a folder',
  explain: 'a rule id (--list-rules lists them)',
};

/** One line for a command line that cannot be read: the option, what is wrong, the nearest real one. */
function argumentError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const unknown = /^Unknown option '(-[^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined) {
    const names = Object.entries(OPTIONS).flatMap(([name, o]) =>
      'short' in o ? [`--${name}`, `-${o.short}`] : [`--${name}`],
    );
    const hint = unknown.startsWith('--') ? didYouMean(unknown, names) : '';
    return `unknown option ${unknown}${hint}; --help lists the options`;
  }
  // Node names the option as '--explain <value>' or '-h, --help'; the rest of its sentence is its own.
  const option = /^Option '(?:-\w, )?--([\w-]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    const wanted = (VALUE_WANTED as Record<string, string | undefined>)[option];
    // A missing value, or the next option taken for one (`--explain --format json`).
    if (wanted !== undefined) return `--${option} needs a value: ${wanted}`;
    return `--${option} takes no value; --help lists the options`;
  }
  return `${message.split('\n')[0]!.replace(/\.$/, '')}; --help lists the options`;
}

/** `--name must be one of a, b, c, not "x"`, with the nearest of them when one is near. */
function notOneOf(flag: string, value: string, allowed: readonly string[]): string {
  return `claude-route-guard: ${flag} must be one of ${allowed.join(', ')}, not "${value}"${didYouMean(value, allowed)}`;
}

export interface CliIo {
  cwd: string;
  /** For the text layout (COLUMNS and NO_COLOR) and, with `--runtime`, the environment probed. */
  env?: NodeJS.ProcessEnv;
  /** Set when stdout is a terminal: its width, and colour is allowed. */
  tty?: { columns: number | undefined };
  stdout: (text: string) => void;
  /** Raw writes to stdout (no line break added): a large report is then written as it is made. */
  write?: (text: string) => void;
  stderr: (text: string) => void;
  /** `--runtime`: where this machine's managed settings are; the system folder unless a test gives one. */
  managedSettingsDir?: string;
  /** Set only when stderr is a terminal: a progress line that rewrites itself. */
  progress?: (text: string) => void;
  /** Standard input, for a subcommand that reads `-`. */
  stdin?: AsyncIterable<Buffer | string>;
}

/** A first word that names a subcommand; a folder of that name is scanned as `./name`. */
const SUBCOMMANDS: Record<string, (args: string[], io: CliIo) => number | Promise<number>> = {
  org: async (args, io) => (await import('./inventory/cli.js')).runOrg(args, io),
  merge: async (args, io) => (await import('./inventory/cli.js')).runMerge(args, io),
  // Synchronous unless it reads standard input: a log is read from disk in one pass.
  'verify-run': verifyRunCli,
};

const REPO_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** A number, or a promise of one only when --resolve-remote asks for the network. */
export function runCli(argv: string[], io: CliIo): number | Promise<number> {
  const subcommand =
    argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0]) ? SUBCOMMANDS[argv[0]] : undefined;
  if (subcommand) return subcommand(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    io.stderr(`claude-route-guard: ${argumentError(error)}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout(VERSION);
    return 0;
  }
  if (values['list-rules']) {
    io.stdout(listRules());
    return 0;
  }
  if (values.explain !== undefined) {
    const page = explainRule(values.explain);
    if (page === undefined) {
      io.stderr(
        `claude-route-guard: unknown rule "${values.explain}"${didYouMean(values.explain, ALL_RULE_IDS)}; --list-rules lists them`,
      );
      return 2;
    }
    io.stdout(page);
    return 0;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    io.stderr(terminalText(notOneOf('--format', values.format, FORMATS)));
    return 2;
  }
  if (values.compact && format !== 'text') {
    io.stderr(`claude-route-guard: --compact lays out text only; --format ${format} has no compact form`);
    return 2;
  }
  if (values['fail-on'] !== undefined && !FAIL_ON_LEVELS.includes(values['fail-on'] as FailOn)) {
    io.stderr(terminalText(notOneOf('--fail-on', values['fail-on'], FAIL_ON_LEVELS)));
    return 2;
  }
  const minConfidence = values['min-confidence'] as Confidence | undefined;
  if (minConfidence !== undefined && !CONFIDENCES.includes(minConfidence)) {
    io.stderr(terminalText(notOneOf('--min-confidence', minConfidence, CONFIDENCES)));
    return 2;
  }

  const failOnFlag = values['fail-on'] as FailOn | undefined;
  if (values.runtime) {
    if (format !== 'text' && format !== 'json') {
      io.stderr(
        `claude-route-guard: --runtime prints text or json, not ${format}: its findings are about this machine, not lines of a file`,
      );
      return 2;
    }
    if (positionals.length > 0 || values.config !== undefined) {
      io.stderr(
        `claude-route-guard: --runtime checks this machine and takes no paths or --config (got ${positionals[0] ?? '--config'})`,
      );
      return 2;
    }
    return runRuntime(io, format, failOnFlag ?? 'error', minConfidence ?? 'low');
  }

  const repoName = values.repo;
  if (repoName !== undefined && !REPO_NAME.test(repoName)) {
    io.stderr(`claude-route-guard: --repo must be owner/name, not "${repoName}"`);
    return 2;
  }
  let options: LoadOptions;
  try {
    options = {
      cwd: io.cwd,
      maxBytes: parseSize(values['max-file-size'], '--max-file-size'),
      ...(repoName ? { repoName } : {}),
    };
  } catch (error) {
    io.stderr(terminalText(`claude-route-guard: ${(error as Error).message}`));
    return 2;
  }
  const scanWith = (remote?: RemoteLookup): number =>
    scanAndReport(positionals, remote ? { ...options, remote } : options, values, format, io);
  if (!values['resolve-remote']) return scanWith();
  return readRemote(positionals, options, values['cache-dir'], io).then(scanWith);
}

function scanAndReport(
  positionals: string[],
  options: LoadOptions,
  values: {
    config?: string | undefined;
    'fail-on'?: string | undefined;
    'min-confidence'?: string | undefined;
    compact?: boolean | undefined;
    'resolve-remote'?: boolean | undefined;
  },
  format: (typeof FORMATS)[number],
  io: CliIo,
): number {
  const problems: LoadProblem[] = [];
  let report;
  const policies = new PolicyIndex();
  try {
    const named = values.config === undefined ? undefined : loadPolicy(io.cwd, values.config);
    const inputs = loadFiles(
      positionals,
      {
        ...options,
        // Without --config, `claude-route-guard path/to/repo` follows that repository's policy.
        policyFor: named ? () => named : (root) => loadRepoPolicy(root, io.cwd),
      },
      problems,
    );
    const minConfidence = values['min-confidence'] as Confidence | undefined;
    report = withPlainEnv(() =>
      scan(policies.record(collectingGarbage(inputs)), named, minConfidence ? { minConfidence } : {}),
    );
  } catch (error) {
    if (error instanceof UsageError || error instanceof PolicyError) {
      // What was skipped on the way (a linked workflow) may be why a folder held nothing to scan.
      for (const p of problems) io.stderr(terminalText(`claude-route-guard: ${p.file}: ${p.message}`));
      // A policy file's mistakes come all at once, one line each.
      for (const line of error.message.split('\n')) io.stderr(terminalText(`claude-route-guard: ${line}`));
      return 2;
    }
    throw error;
  }
  for (const p of problems) io.stderr(terminalText(`claude-route-guard: ${p.file}: ${p.message}`));

  switch (format) {
    case 'json':
      writeJson(io, jsonReportPieces(report));
      break;
    case 'sarif':
      // SARIF is measured whole (code scanning caps its compressed size), so it is written whole.
      writeJson(io, [formatSarif(report, VERSION)]);
      break;
    case 'github':
      io.stdout(githubAnnotations(report, githubSummary(report, io)));
      break;
    default: {
      const lines = textLines(
        report,
        recentSourceLines(io.cwd),
        textOptions(io.env ?? {}, io.tty, values.compact),
      );
      writeText(io, lines);
    }
  }
  if (!values['resolve-remote']) {
    const unread = report.unresolved.filter((u) => u.remoteUnread).length;
    if (unread > 0) io.stderr(remoteHint(unread));
  }
  const failOnFlag = values['fail-on'] as FailOn | undefined;
  return report.findings.some((f) => failsOn([f], failOnFlag ?? policies.failOnFor(f.file))) ? 1 : 0;
}

/**
 * Once, how many reusable workflows of other repositories were not read and how to read them: without
 * it, a new user sees only one "not followed" line per call and no way on.
 */
function remoteHint(unread: number): string {
  return `claude-route-guard: note: ${unread} call(s) of reusable workflows in other repositories were not followed; --resolve-remote reads them through the GitHub API (with GITHUB_TOKEN or GH_TOKEN for private ones)`;
}

/**
 * In a `run:` step, the job summary the action would write (GITHUB_STEP_SUMMARY), so the annotations'
 * note can point there; returns where every finding can be read.
 */
function githubSummary(report: Report, io: CliIo): string {
  const env = io.env ?? {};
  const written = appendJobSummary(env, io.cwd, formatSummary(report, linkBase(env)));
  if (written && 'written' in written) return ALL_LISTED_IN_SUMMARY;
  if (written)
    io.stderr(terminalText(`claude-route-guard: the job summary was not written: ${written.refused}`));
  return 'claude-route-guard --format text lists them all';
}

/** Annotations, then one notice for what could not be followed, as the action gives them. */
function githubAnnotations(report: Report, listedIn: string): string {
  const count = report.unresolved.length;
  const message = `${count} reference(s) could not be followed, so the Claude runs behind them are not checked; ${listedIn}.`;
  const notes = count > 0 ? [{ title: 'claude-route-guard: not followed', message }] : [];
  return formatGithub(report.findings, listedIn, notes);
}

/** Text on stdout ending in one line break, as `io.stdout` writes it; line by line when it can. */
function writeText(io: CliIo, lines: Iterable<string>): void {
  if (!io.write) {
    io.stdout([...lines].join('\n'));
    return;
  }
  // The last piece that is not empty decides, as io.stdout does on the joined text, whether a line break ends it.
  let tail = '';
  const pieces = function* (): Generator<string> {
    let first = true;
    for (const line of lines) {
      const piece = first ? line : `\n${line}`;
      first = false;
      if (piece !== '') tail = piece;
      yield piece;
    }
  };
  writeInBatches(pieces(), io.write);
  if (tail !== '' && !tail.endsWith('\n')) io.write('\n');
}

/**
 * Source lines for snippets, by file. Findings come most severe first, so a file can be asked for again
 * later; the last few files read are kept, not every file of a large scan.
 */
function recentSourceLines(cwd: string): (file: string, line: number) => string | undefined {
  const recent = new Map<string, string[]>();
  return (file, line) => {
    let lines = recent.get(file);
    if (!lines) {
      lines = sourceLines(cwd, file);
      if (recent.size >= 16) recent.delete(recent.keys().next().value!);
      recent.set(file, lines);
    }
    return lines[line - 1];
  };
}

/**
 * A JSON report on stdout: written as it is made when stdout takes raw writes, so a report of many
 * thousand files is never one string. A piece never splits a string, so each is escaped on its own.
 */
function writeJson(io: CliIo, pieces: Iterable<string>): void {
  if (!io.write) {
    io.stdout(jsonText([...pieces].join('')));
    return;
  }
  const write = io.write;
  writeInBatches(pieces, (batch) => write(jsonText(batch)));
  write('\n');
}

/** Which policy each scanned file followed, so each finding fails the run by its own repository's fail-on. */
class PolicyIndex {
  private readonly byFile = new Map<string, Policy>();

  *record(inputs: Iterable<SourceInput>): Generator<SourceInput> {
    for (const input of inputs) {
      if (input.policy) {
        this.byFile.set(input.file, input.policy);
        if (input.policy.file !== undefined) this.byFile.set(input.policy.file, input.policy);
      }
      yield input;
    }
  }

  /** A file that was only reached through another (a callee) takes the strictest fail-on in play. */
  failOnFor(file: string): FailOn {
    const own = this.byFile.get(file);
    if (own) return own.failOn ?? 'error';
    const strictness: FailOn[] = ['never', 'error', 'warning', 'notice'];
    const levels = [...new Set(this.byFile.values())].map((p) => p.failOn ?? 'error');
    return levels.sort((a, b) => strictness.indexOf(b) - strictness.indexOf(a))[0] ?? 'error';
  }
}

/** `--resolve-remote`: callees through the GitHub API; a failure is a line on stderr, never exit 2. */
async function readRemote(
  paths: string[],
  options: LoadOptions,
  cacheDir: string | undefined,
  io: CliIo,
): Promise<RemoteLookup | undefined> {
  const env = process.env;
  try {
    const { readRemoteCallees } = await import('./remote-callees.js');
    const { defaultCacheDir } = await import('./sources/cache.js');
    const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
    const token = env.GITHUB_TOKEN || env.GH_TOKEN;
    const result = await readRemoteCallees(paths, options, {
      apiUrl,
      server: serverFor(apiUrl, env.GITHUB_SERVER_URL),
      timeoutMs: 10_000,
      tokenHint: 'GITHUB_TOKEN',
      known: knownWithoutReading,
      cacheDir: cacheDir ? resolve(io.cwd, cacheDir) : defaultCacheDir(env, process.platform),
      ...(token ? { token } : {}),
    });
    // A callee that was not read is said once, by the report (each format lists what was not followed).
    // Text from a scanned or fetched file may hold terminal escapes; they are shown, not obeyed.
    for (const note of result.notes) io.stderr(terminalText(`claude-route-guard: ${note}`));
    return result.lookup;
  } catch (error) {
    // A usage error (a missing path) is said by the scan that follows.
    if (!(error instanceof UsageError))
      io.stderr(
        terminalText(`claude-route-guard: remote callees were not read: ${(error as Error).message}`),
      );
    return undefined;
  }
}

/** The lines of a scanned file for snippets, read with the same care as the scan: no links, no devices. */
function sourceLines(cwd: string, file: string): string[] {
  const absolute = resolve(cwd, file);
  if (isWithin(cwd, absolute) && !noLinkBelow(cwd, absolute)) return [];
  const opened = readRegularFile(absolute, DEFAULT_MAX_BYTES);
  if (!('bytes' in opened)) return [];
  // A binary file (the scan calls one with a NUL byte binary) has no line worth quoting: its bytes
  // would print as a row of escapes under the finding, so the finding stands without a snippet.
  if (opened.bytes.includes(0)) return [];
  return opened.bytes.toString('utf8').split(/\r?\n/);
}

/** `--runtime`: the probe on this machine. Nothing is masked because no value is ever printed. */
function runRuntime(io: CliIo, format: 'text' | 'json', failOn: FailOn, least: Confidence): number {
  const env = io.env ?? process.env;
  const facts = probeRunner({
    env,
    home: env.HOME ?? homedir(),
    workspace: io.cwd,
    platform: process.platform,
    ...(io.managedSettingsDir ? { managedSettingsDir: io.managedSettingsDir } : {}),
    mask: () => undefined,
  });
  const { row, findings: all } = analyseRuntime({ facts });
  const findings = all.filter((f) => sureEnough(f.confidence, least));
  if (format === 'json')
    io.stdout(jsonText(JSON.stringify({ version: 1, runner: row, facts, findings }, null, 2)));
  else io.stdout(formatRuntimeText(facts, row, findings).split('\n').map(terminalText).join('\n'));
  return failsOn(findings, failOn) ? 1 : 0;
}

/** The line an unexpected error prints: its message may quote a path or text the pull request chose. */
export function internalErrorText(error: unknown): string {
  return terminalText(`claude-route-guard: internal error: ${(error as Error).message}`);
}
