/**
 * Checks that hold for any report on any repository, each returning what breaks it (empty when nothing
 * does): the corpus tests run them on real workflows, and fixtures-as-corpus.test.ts on every fixture, so
 * a clone without the corpus still runs each of them.
 */
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFiles, type LoadOptions, type LoadProblem } from '../src/load.js';
import { parse } from '../src/passes/parse.js';
import type { Report } from '../src/scan.js';
import { scan } from '../src/scan.js';
import type { Finding } from '../src/types.js';
import { ROOT } from './helpers.js';

/** One repository's report, and where its files are (report paths are relative to `cwd`). */
export interface Scanned {
  project: string;
  cwd: string;
  report: Report;
}

const linesOf = (cwd: string, file: string): string[] => readFileSync(join(cwd, file), 'utf8').split('\n');

/** Every finding and route on a line of its file, at a column of that line (or just past its end). */
export function misplaced(scanned: Scanned[]): string[] {
  const out: string[] = [];
  for (const { project, cwd, report } of scanned) {
    const places = [
      ...report.findings.map((f) => ({ what: f.rule, file: f.file, ...f.span })),
      ...report.routes.map((r) => ({ what: `route ${r.job}`, file: r.file, line: r.line, column: r.column })),
    ];
    for (const p of places) {
      const line = linesOf(cwd, p.file)[p.line - 1];
      if (line === undefined || p.column < 1 || p.column > line.length + 1)
        out.push(`${project}/${p.file}:${p.line}:${p.column} ${p.what}`);
    }
  }
  return out;
}

/** Rules whose finding sits on a credential: its line must name that credential. */
const CREDENTIAL_RULES = new Set(['subscription-token-in-ci', 'shadowed-credential']);

function spanText(lines: string[], f: Finding): string {
  const line = lines[f.span.line - 1] ?? '';
  return f.span.endLine === f.span.line
    ? line.slice(f.span.column - 1, f.span.endColumn - 1)
    : line.slice(f.span.column - 1);
}

/** The names a credential row can appear under on its line: the variable, the secret, the input. */
function namesOf(c: { variable: string; source: string }): string[] {
  // A stored login: a step writes the file (its line names it), or the file is committed (its login key).
  if (c.variable.endsWith('/.credentials.json')) return ['.credentials.json', '"claudeAiOauth"'];
  return [c.variable, ...c.source.split(' || ').map((s) => s.replace(/^(secrets|vars|inputs)\./, ''))];
}

function credentialsOf(
  report: Report,
): { file: string; line: number; column: number; level: string; variable: string; source: string }[] {
  return report.routes.flatMap((r) => [...(r.credential ? [r.credential] : []), ...r.shadowed]);
}

/** Findings on blank text, and credential findings on a line that does not name the credential. */
export function blankOrUnnamed(scanned: Scanned[]): { checked: number; wrong: string[] } {
  const wrong: string[] = [];
  let checked = 0;
  for (const { project, cwd, report } of scanned) {
    for (const f of report.findings) {
      const lines = linesOf(cwd, f.file);
      checked++;
      const where = `${project}/${f.file}:${f.span.line}:${f.span.column} ${f.rule}`;
      if (f.span.line > lines.length || spanText(lines, f).trim() === '') wrong.push(`${where}: blank`);
      if (!CREDENTIAL_RULES.has(f.rule)) continue;
      const line = lines[f.span.line - 1]!;
      const named = credentialsOf(report).some(
        (c) =>
          c.file === f.file &&
          c.line === f.span.line &&
          // An action input spells the variable in lower case (claude_code_oauth_token). A token a script
          // may set without naming it (a script run in the step's process, a name computed at run time)
          // sits on that command, at the credential's own place; so does one a write the scan did not follow
          // may leave in $GITHUB_ENV for later steps (claude/unfollowed.ts).
          (namesOf(c).some((n) => line.toLowerCase().includes(n.toLowerCase())) ||
            ((c.level === 'script' || c.level === 'github-env') &&
              c.source === 'expression' &&
              c.column === f.span.column)),
      );
      if (!named) wrong.push(`${where}: the line does not name the credential`);
    }
  }
  return { checked, wrong };
}

/**
 * Rows whose verdict hides an error on their own credential: an error on the credential that wins must be
 * the row's verdict; one on a credential the row shadows (a finding about the run that credential bills)
 * must at least keep the row from saying ok.
 */
export function okBesideError(scanned: Scanned[]): { withCredential: number; wrong: string[] } {
  const wrong: string[] = [];
  let withCredential = 0;
  for (const { project, report } of scanned) {
    const errorOn = (credentials: { file: string; line: number }[]): Finding | undefined =>
      report.findings.find(
        (f) =>
          f.severity === 'error' &&
          credentials.some((c) => c.file === f.file && c.line >= f.span.line && c.line <= f.span.endLine),
      );
    for (const row of report.routes) {
      if (row.credential || row.shadowed.length > 0) withCredential++;
      const onWinner = errorOn(row.credential ? [row.credential] : []);
      const onShadowed = errorOn(row.shadowed);
      if (onWinner && !row.verdict.startsWith('error'))
        wrong.push(`${project}/${row.file}:${row.line} ${row.verdict} beside ${onWinner.rule}`);
      else if (onShadowed && row.verdict === 'ok')
        wrong.push(
          `${project}/${row.file}:${row.line} ok beside ${onShadowed.rule} on a shadowed credential`,
        );
    }
  }
  return { withCredential, wrong };
}

export interface Outcome {
  report: Report;
  problems: LoadProblem[];
}

/**
 * One scan with the raw-text pre-checks, one that parses and models every file (the reference), and the
 * files the raw text left unparsed. The pre-checks may only drop the reference's parse-errors in those
 * files (a YAML error in a file that cannot involve Claude is not reported, by decision) and count them.
 */
export function bothWays(
  cwd: string,
  paths: string[],
  options: Partial<LoadOptions> = {},
): { checked: Outcome; modelled: Outcome; notParsed: string[] } {
  const run = (modelEveryFile: boolean): Outcome => {
    const problems: LoadProblem[] = [];
    const report = scan(loadFiles(paths, { cwd, ...options }, problems), undefined, { modelEveryFile });
    return { report, problems };
  };
  const notParsed = [...loadFiles(paths, { cwd, ...options }, [])]
    .filter((input) => parse(input).notParsed)
    .map((input) => input.file);
  return { checked: run(false), modelled: run(true), notParsed };
}

/** The reference as the pre-checks may change it: no parse-error in a file left unparsed, and their count. */
export function unparsedDropped(modelled: Outcome, notParsed: string[]): Outcome {
  const unparsed = new Set(notParsed);
  const { report } = modelled;
  return {
    ...modelled,
    report: {
      ...report,
      findings: report.findings.filter((f) => f.rule !== 'parse-error' || !unparsed.has(f.file)),
      notParsed: notParsed.length,
    },
  };
}

const validate = new Ajv({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(ROOT, 'schema', 'report-v1.json'), 'utf8')) as object,
);

/** Where a JSON report breaks schema/report-v1.json. */
export function schemaProblems(json: unknown): string[] {
  return validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);
}
