import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSize, UsageError } from '../load.js';
import { didYouMean } from '../policy/policy.js';
import { commandData, commandProperty, jsonText, terminalText } from '../report/escape.js';
import { formatGithub } from '../report/github.js';
import { formatRunsJson, formatRunsSarif, provedBy, runsText, type RunReport } from '../report/runs.js';
import { ROUTE_KINDS, type RouteKind } from '../types.js';
import { VERSION } from '../version.js';
import { DEFAULT_MAX_LOG_BYTES } from './read.js';
import {
  isUnread,
  runFindings,
  verifyLogFile,
  verifyLogStream,
  type Declaration,
  type UnreadLog,
  type VerifiedLog,
} from './verify.js';

const USAGE = `Usage: claude-route-guard verify-run FILE... [options]

Reads the log of a Claude Code run and says which route it really used: the official action's execution
file (its output execution_file, a JSON array) or the lines of claude -p --output-format stream-json
--verbose. FILE - reads standard input. A file that holds several runs (a resumed session) reports each.

Options:
  --expect ROUTE                    the route the workflow declares; a run that proves another one is
                                    an error (run-route-mismatch). A subscription of either kind matches
                                    the other; a run the log cannot prove is never a mismatch
  --format text|json|sarif|github   output format (default: text)
  --max-log-size BYTES              a log over this size is refused (default 100M)
  -h, --help                        print this help
Exit status: 0 no mismatch, 1 a run-route-mismatch, 2 usage error or a log that cannot be read.
Only enums and numbers from a log are ever printed: it holds the prompt and the pull request's text.`;

const OPTIONS = {
  expect: { type: 'string' },
  format: { type: 'string', default: 'text' },
  'max-log-size': { type: 'string' },
  help: { type: 'boolean', default: false, short: 'h' },
} as const;

/** What verify-run talks to: the CLI's own io, or a test standing in for it. */
export interface VerifyIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input, read only for `-`. */
  stdin?: AsyncIterable<Buffer | string>;
}

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

interface Parsed {
  files: string[];
  format: Format;
  maxBytes: number;
  declaration: Declaration;
}

/** The command line, or the one line that says what is wrong with it. */
function parse(argv: string[]): Parsed | { help: true } | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    return { error: `${(error as Error).message.replace(/\.$/, '')}; verify-run --help lists the options` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const format = values.format as Format;
  if (!FORMATS.includes(format))
    return { error: `--format must be one of ${FORMATS.join(', ')}, not "${values.format}"` };
  if (positionals.length === 0) return { error: 'verify-run needs a log file (or - for standard input)' };
  if (positionals.filter((p) => p === '-').length > 1)
    return { error: 'standard input (-) can be read once' };
  const expect = values.expect;
  const routes = ROUTE_KINDS.filter((r) => r !== 'unknown');
  if (expect !== undefined && !(routes as readonly string[]).includes(expect))
    return {
      error: `--expect must be a route: ${routes.join(', ')}, not "${expect}"${didYouMean(expect, routes)}`,
    };
  let maxBytes: number;
  try {
    maxBytes = parseSize(values['max-log-size'], '--max-log-size') ?? DEFAULT_MAX_LOG_BYTES;
  } catch (error) {
    if (error instanceof UsageError) return { error: error.message };
    throw error;
  }
  const route = expect as RouteKind | undefined;
  return {
    files: positionals,
    format,
    maxBytes,
    declaration: route
      ? { declared: { route, declaredBy: '--expect gives' }, inPlay: [route] }
      : { inPlay: [] },
  };
}

/** `claude-route-guard verify-run FILE...`: a number, or a promise of one when it reads standard input. */
export function verifyRunCli(argv: string[], io: VerifyIo): number | Promise<number> {
  const parsed = parse(argv);
  if ('help' in parsed) {
    io.stdout(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.stderr(terminalText(`claude-route-guard: ${parsed.error}`));
    return 2;
  }
  const logs: (VerifiedLog | UnreadLog)[] = [];
  const readFrom = (index: number): number | Promise<number> => {
    for (let i = index; i < parsed.files.length; i++) {
      const file = parsed.files[i]!;
      if (file === '-') {
        if (!io.stdin) logs.push({ file, reason: 'standard input cannot be read here' });
        else
          return verifyLogStream(io.stdin, parsed.maxBytes, parsed.declaration).then((log) => {
            logs.push(log);
            return readFrom(i + 1);
          });
      } else logs.push(verifyLogFile(file, resolve(io.cwd, file), parsed.maxBytes, parsed.declaration));
    }
    return report(logs, parsed, io);
  };
  return readFrom(0);
}

function report(all: (VerifiedLog | UnreadLog)[], parsed: Parsed, io: VerifyIo): number {
  const unread = all.filter(isUnread);
  const logs = all.filter((l): l is VerifiedLog => !isUnread(l));
  for (const u of unread) {
    const at = u.at ? `${u.at.line}:${u.at.column}: ` : '';
    io.stderr(terminalText(`claude-route-guard: ${u.file}: ${at}${u.reason}`));
  }
  for (const log of logs)
    if (log.cutShort)
      io.stderr(
        terminalText(
          `claude-route-guard: ${log.file}:${log.cutShort.line}:${log.cutShort.column}: the last line is cut short (its writer stopped mid-message); it is ignored`,
        ),
      );
  const findings = logs.flatMap((log) => runFindings(log, parsed.declaration));
  const result: RunReport = { logs, findings };
  switch (parsed.format) {
    case 'json':
      io.stdout(jsonText(formatRunsJson(result)));
      break;
    case 'sarif':
      io.stdout(jsonText(formatRunsSarif(result, VERSION)));
      break;
    case 'github':
      io.stdout(githubLines(result));
      break;
    default:
      io.stdout(runsText(result).map(terminalText).join('\n'));
  }
  if (unread.length > 0) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** Workflow commands: each finding, then one notice per run with what it used. */
function githubLines(result: RunReport): string {
  const notices = result.logs.flatMap((log) =>
    log.runs.map(
      (run) =>
        `::notice title=${commandProperty(`claude-route-guard: run ${run.run}`)}::${commandData(`${log.file} run ${run.run} used ${run.proof.route} (${provedBy(run)})`)}`,
    ),
  );
  return [formatGithub(result.findings), ...notices].filter((l) => l !== '').join('\n');
}
