import { expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliIo } from '../src/cli.js';
import { loadFiles, type LoadProblem } from '../src/load.js';
import { scan, type Policy, type Report, type RouteRow } from '../src/scan.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, '__tests__', 'fixtures');
export const REPO = join(FIXTURES, 'repo');
/** ../shared/corpus beside the checkout; CORPUS_DIR moves it (.ci/run points it at nothing to test without). */
export const CORPUS = process.env.CORPUS_DIR ?? join(ROOT, '..', 'shared', 'corpus');

/**
 * A timeout for requests to a fake server in this process that answers at once: a busy machine can starve
 * the process for seconds, and then the timer fires before the answer is read. Only a test of a server
 * that never answers sets a short one, and waits it out.
 */
export const PATIENT_MS = 60_000;

/** A new folder under the system temp folder holding these files (paths relative to it, folders made). */
/**
 * `http://127.0.0.1:PORT` for a port that was just free: nothing listens there, so a connection to it is
 * refused before any answer (unlike a port fetch itself blocks, such as 9).
 */
export async function closedAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export function tempFolder(files: Record<string, string> = {}, prefix = 'crg-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The CLI run in this process from `cwd`: its exit code and what it wrote to stdout and to stderr. */
export function cliAt(
  cwd: string,
  args: string[],
  io: Partial<Pick<CliIo, 'env' | 'tty'>> = {},
): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  // Without --resolve-remote the command is synchronous.
  const code = runCli(args, { cwd, ...io, stdout: (t) => (out += t), stderr: (t) => (err += t) }) as number;
  return { code, out, err };
}

export function scanAt(cwd: string, paths: string[], policy?: Policy): Report & { problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const report = scan(loadFiles(paths, { cwd }, problems), policy);
  return { ...report, problems };
}

/** Scans one workflow of the fixture repository. */
export function scanWorkflow(name: string): Report {
  return scanAt(REPO, [`.github/workflows/${name}`]);
}

export function onlyRoute(report: Report): RouteRow {
  expect(report.routes).toHaveLength(1);
  return report.routes[0]!;
}

/** A route row and a finding as the JSON report prints them (docs/json.md). */
export interface JsonRow {
  file: string;
  line: number;
  column: number;
  job: string;
  route: string;
  credential: { file: string; line: number; column: number; source: string } | null;
  certainty: string;
  verdict: string;
  intended: string | null;
  outcomes: string[];
  callers: { file: string; line: number; job: string }[];
}
export interface JsonFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The JSON report of the CLI run from `cwd` with `args`, as printed, whatever the findings. */
export function jsonReportAt(cwd: string, args: string[]): { routes: JsonRow[]; findings: JsonFinding[] } {
  const { out } = cliAt(cwd, [...args, '--format', 'json', '--fail-on', 'never']);
  return JSON.parse(out) as { routes: JsonRow[]; findings: JsonFinding[] };
}

/**
 * The whole answer of a scan: each row with its verdict, each finding with its place, severity and
 * confidence, and with `notes`, the "(Confidence …)" note that ends a finding that is not sure.
 */
export function wholeAnswer(report: Report, notes = false): { routes: string[]; findings: string[] } {
  return {
    routes: report.routes.map(
      (r) =>
        `${r.file}:${r.line}:${r.column} ${r.job} ${r.invocation} ${r.route} ${r.certainty} -> ${r.verdict}`,
    ),
    findings: report.findings.map(
      (f) =>
        `${f.file}:${f.span.line}:${f.span.column} ${f.severity}[${f.rule}] ${f.confidence}` +
        (notes ? (/ \(Confidence [^)]*\)\s*$/.exec(f.message)?.[0] ?? '') : ''),
    ),
  };
}
