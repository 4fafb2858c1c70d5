import { provedRoute, type UsageProvider } from '../claude/proof.js';
import { RUN_RULES } from '../rules/index.js';
import type { DeclaredRoute, ProvedRun } from '../rules/run-rule.js';
import type { Finding, RouteKind, Span } from '../types.js';
import type { Located } from './locate.js';
import { isProblem, readLogFile, readLogStream, type LogProblem, type ReadLog } from './read.js';
import { READ_TYPES, RunFold, type RunFacts } from './runs.js';
import { LogScanner, type LogFormat, type LogWork, type Position } from './scanner.js';

/**
 * From logs to proof: each log read once, folded into runs, each run's route proved by the function
 * beside the precedence function, and the run rules checked against what the files declare.
 */

/** One log, read. */
export interface VerifiedLog {
  /** The log as the person named it (a path, or `-` for standard input). */
  file: string;
  format: LogFormat | undefined;
  runs: ProvedRun[];
  work: LogWork;
  /** stream-json whose last line was cut short: the line is ignored. */
  cutShort?: Position;
}

/** A log that could not be read: where, and why, in a fixed sentence. */
export interface UnreadLog extends LogProblem {
  file: string;
}

/** What the files declare for a log's runs, and where a finding about them goes. */
export interface Declaration {
  declared?: DeclaredRoute;
  /** Routes in play for the step (its winner, what it shadows, its outcomes, the runner's own credentials). */
  inPlay: readonly RouteKind[];
  /** The route row's place in the workflow; without it, a finding sits on the log's own evidence. */
  place?: { file: string; span: Span };
  /** The Claude step the log belongs to, as the summary names it. */
  step?: string;
}

const wanted = (type: string | undefined): boolean => type === undefined || READ_TYPES.has(type);

function scanInto(fold: RunFold): LogScanner {
  return new LogScanner((m) => fold.add(m), wanted);
}

function verified(file: string, read: ReadLog, facts: RunFacts[], declaration: Declaration): VerifiedLog {
  return {
    file,
    format: read.format,
    runs: facts.map((f) => ({ ...f, proof: provedRoute(f.evidence, declaration.inPlay) })),
    work: read.work,
    ...(read.cutShort ? { cutShort: read.cutShort } : {}),
  };
}

/** A log file: refused when it is a link, not a regular file, or over `maxBytes`. */
export function verifyLogFile(
  file: string,
  path: string,
  maxBytes: number,
  declaration: Declaration,
): VerifiedLog | UnreadLog {
  const fold = new RunFold();
  const read = readLogFile(path, maxBytes, scanInto(fold));
  if (isProblem(read)) return { file, ...read };
  return verified(file, read, fold.finish(), declaration);
}

/** Standard input, read as it arrives. */
export async function verifyLogStream(
  input: AsyncIterable<Buffer | string>,
  maxBytes: number,
  declaration: Declaration,
): Promise<VerifiedLog | UnreadLog> {
  const fold = new RunFold();
  const read = await readLogStream(input, maxBytes, scanInto(fold));
  if (isProblem(read)) return { file: '-', ...read };
  return verified('-', read, fold.finish(), declaration);
}

export function isUnread(log: VerifiedLog | UnreadLog): log is UnreadLog {
  return 'reason' in log;
}

const CLOUD_PROVIDERS: readonly UsageProvider[] = ['bedrock', 'vertex', 'foundry', 'anthropicAws', 'mantle'];

/** The text in the log that decides a run's route: the field itself, or the run's first message. */
export function evidencePlace(run: ProvedRun): Located | undefined {
  const { places } = run;
  switch (run.proof.decidedBy) {
    case 'api-key-source':
    case 'declared-credentials':
      return places.apiKeySource;
    case 'cloud-provider':
      return CLOUD_PROVIDERS.map((p) => places.providers[p]).find((p) => p !== undefined);
    case 'gateway-provider':
      return places.providers.gateway;
    case 'rate-limit-events':
      return places.rateLimitEvent;
    case 'none':
      return undefined;
  }
}

function spanOf(run: ProvedRun): Span {
  const at = evidencePlace(run);
  if (at)
    return { line: at.start.line, column: at.start.column, endLine: at.end.line, endColumn: at.end.column };
  return {
    line: run.start.line,
    column: run.start.column,
    endLine: run.start.line,
    endColumn: run.start.column + 1,
  };
}

/** The run rules on every run of a log; a finding sits on the route row when there is one, else on the log. */
export function runFindings(log: VerifiedLog, declaration: Declaration): Finding[] {
  return log.runs.flatMap((run) =>
    RUN_RULES.flatMap((rule) =>
      rule
        .check({ run, log: log.file, ...(declaration.declared ? { declared: declaration.declared } : {}) })
        .map((d): Finding => ({
          rule: rule.id,
          severity: d.severity ?? rule.severity,
          message: d.message,
          file: declaration.place?.file ?? log.file,
          span: declaration.place?.span ?? spanOf(run),
        })),
    ),
  );
}
