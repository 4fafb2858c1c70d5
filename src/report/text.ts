import { countBySeverity, type Report, type RouteRow } from '../scan.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../types.js';
import { escapeStrings, noCommandAtStart, terminalText } from './escape.js';
import { sourceWords } from '../workflow/values.js';
import {
  endpointWords,
  hiddenSentence,
  hiddenWords,
  innerPlaces,
  NO_CLOUD_IDENTITY,
  runsInFiles,
  showsIdentity,
} from './wording.js';
import { cut, shortPins, table, wrap, type Column } from './layout.js';
import { redact, redactedOffset } from './redact.js';
import { VIA_CALLER } from '../passes/verdict.js';

export interface TextOptions {
  /** Characters per line: the terminal's width, else COLUMNS, else 100. */
  width: number;
  /** One line per finding, nothing else: for editors and grep. */
  compact: boolean;
  /** ANSI colour for severities; only on a terminal, never with NO_COLOR. */
  color: boolean;
}

export const DEFAULT_WIDTH = 100;
const COLOURS: Record<Severity, string> = { error: '31', warning: '33', notice: '36' };

/** The width and colour a terminal asks for: its own width on a TTY, else COLUMNS, else 100. */
export function textOptions(
  env: NodeJS.ProcessEnv,
  tty: { columns: number | undefined } | undefined,
  compact = false,
): TextOptions {
  const columns = Number(env.COLUMNS);
  const width =
    tty?.columns && tty.columns > 0
      ? tty.columns
      : Number.isInteger(columns) && columns > 0
        ? columns
        : DEFAULT_WIDTH;
  return { width, compact, color: tty !== undefined && !('NO_COLOR' in env && env.NO_COLOR !== '') };
}

function severityWord(severity: Severity, options: TextOptions): string {
  return options.color ? `\u001b[${COLOURS[severity]}m${severity}\u001b[0m` : severity;
}

/** Most severe first, then by file and line, so the worst problems open the list. */
export function sortForReading(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.span.line - b.span.line ||
      a.span.column - b.span.column,
  );
}

function where(file: string, line: number, column: number): string {
  return `${file}:${line}:${column}`;
}

/** The route kind and its certainty first, so a cut cell still says which credential bills the run. */
function routeCell(r: RouteRow): string {
  const via = r.endpoint ? ` via ${endpointWords(r.endpoint)}` : '';
  if (r.certainty === 'unknown') return `unknown${via}`;
  return r.route + (r.certainty === 'inferred' ? ' (inferred)' : '') + via;
}

function verdictCell(r: RouteRow): string {
  // The reason of an intended route goes on its own line; the column keeps the severity and rule. How
  // sure hidden findings were is in the counts line below the findings.
  return r.verdict
    .replace(/(^|; )intended: .*$/, (_, sep: string) => `${sep}intended`)
    .replace(/^(hidden: [a-z-]+) \(\w+ confidence\)/, '$1');
}

/** The indented lines under a row: what the table has no room for. */
function details(r: RouteRow, width: number, endpointCut: boolean): string[] {
  const out: string[] = [];
  if (r.invocation !== 'runner') out.push(...wrap(shortPins(r.label), width, '    run: '));
  if (endpointCut && r.endpoint) out.push(...wrap(endpointWords(r.endpoint), width, '    endpoint: '));
  const at = (p: { file: string; line: number; column: number }): string =>
    `${p.file === r.file ? '' : `${p.file}:`}${p.line}:${p.column}`;
  const c = r.credential;
  if (c)
    out.push(
      ...wrap(`${c.variable} <- ${sourceWords(c.source)} (${c.level}, ${at(c)})`, width, '    credential: '),
    );
  if (showsIdentity(r)) {
    const identity = r.identity ? `${r.identity.label} (${at(r.identity)})` : NO_CLOUD_IDENTITY;
    out.push(...wrap(identity, width, '    identity: '));
  }
  if (r.hops.length > 0) {
    const via = r.hops.slice(1).map((h) => `${h.file}:${h.line}:${h.column}`);
    out.push(...wrap(via.join(' -> '), width, '    via: '));
  }
  if (r.callers.length > 0) {
    const callers = r.callers.map((c) => `${c.file}:${c.line} (${c.job})`);
    out.push(...wrap(callers.join(', '), width, '    called by: '));
  }
  if (r.certainty === 'unknown' || r.reason) {
    out.push(...wrap(shortPins(r.reason ?? 'decided at run time'), width, '    why: '));
  }
  // An opaque row's reason often is, or ends with, the sentence that says what was not seen: say it once.
  if (r.opaque && !(r.reason ?? '').includes(r.opaque))
    out.push(...wrap(shortPins(r.opaque), width, '    not seen: '));
  if (r.intended) out.push(...wrap(r.intended, width, '    intended: '));
  return out;
}

/**
 * How the route table gives room, most expendable first: the place keeps its file name, line and column
 * (the path is cut from the left, and said whole under the row); the job keeps a few characters (and is
 * said whole under the row); the route keeps its kind and
 * certainty, so only an endpoint is cut from it (and then shown whole under the row); last, the verdict
 * keeps its severity and the start of its rule (the findings below name the rule whole).
 * `subscription-oauth-token` and `subscription-login` bill different people: no route kind is cut.
 */
const COLUMNS: readonly Column[] = [
  { keep: (place) => place.slice(place.lastIndexOf('/') + 1), fromLeft: true },
  { keep: (job) => job.slice(0, 7) },
  { keep: (route) => route.split(' via ')[0]! },
  { keep: (verdict) => /^(?:\w+: )?.{0,6}/.exec(verdict)![0] },
];
const GIVE = [0, 1, 2, 3];

function routeTable(report: Report, width: number): string[] {
  const out = [...wrap(runsInFiles(report), width, '', '  '), ''];
  const rows = [['WHERE', 'JOB', 'ROUTE', 'VERDICT']];
  // Rows of one place and job that reach different runs name the run they reach, or they read as copies:
  // by its file's name, so a cut from the left keeps both places (`via:` below says the whole path).
  const inner = innerPlaces(report.routes);
  for (const r of report.routes) {
    const run = inner.get(r);
    const place =
      r.invocation === 'runner'
        ? 'this runner'
        : where(r.file, r.line, r.column) +
          (run ? ` → ${where(run.file.slice(run.file.lastIndexOf('/') + 1), run.line, run.column)}` : '');
    rows.push([place, r.job, routeCell(r), verdictCell(r)]);
  }
  const fitted = table(rows, width, COLUMNS, GIVE);
  if (fitted) {
    out.push(fitted.lines[0]!);
    report.routes.forEach((r, i) => {
      const [place, job, route, verdict] = rows[i + 1]!;
      const endpointCut = route!.length > fitted.widths[2]!;
      // What the table cut is said whole under the row: a path or a job name cut short is not one to find.
      const whole = [
        ...(place!.length > fitted.widths[0]! ? wrap(place!, width, '    at: ') : []),
        ...(job!.length > fitted.widths[1]! ? wrap(job!, width, '    job: ') : []),
        // A cut rule is named whole by the findings below; the caller a callee's verdict comes from is not.
        ...(verdict!.length > fitted.widths[3]! && verdict!.includes(VIA_CALLER)
          ? wrap(verdict!, width, '    verdict: ')
          : []),
      ];
      out.push(fitted.lines[i + 1]!, ...whole, ...details(r, width, endpointCut));
    });
  } else {
    // Too narrow for a table: each run opens with its place and verdict, the rest indented below.
    report.routes.forEach((r, i) => {
      const [place, job, route, verdict] = rows[i + 1]!;
      out.push(
        // A verdict that names its caller can be longer than the line: wrapped, never past the width.
        ...(`${place}  ${verdict}`.length <= width
          ? [`${place}  ${verdict}`]
          : wrap(`${place}  ${verdict}`, width, '', '    ')),
        ...wrap(`job: ${job}, route: ${route}`, width, '    '),
        ...details(r, width, false),
      );
    });
  }
  return out;
}

/** The snippet under a finding: cut, never wrapped, with credential values shown as `<redacted>`. */
function snippet(f: Finding, text: string, width: number): string[] {
  let line = text;
  let { column } = f.span;
  let length = f.span.endLine === f.span.line ? f.span.endColumn - f.span.column : text.length - column + 1;
  if (f.rule === 'hardcoded-credential') {
    // The span of a hard-coded credential is the credential: it is never echoed.
    line = text.slice(0, column - 1) + '<redacted>' + text.slice(column - 1 + length);
    length = '<redacted>'.length;
  }
  // Redaction changes the line's length: the span is moved by what was replaced before and inside it.
  const redacted = redact(line);
  const start = redactedOffset(redacted.cuts, column - 1, false);
  length = redactedOffset(redacted.cuts, column - 1 + length, true) - start;
  column = start + 1;
  // A tab becomes one space so the carets below stay under the span; the line itself is the PR's text,
  // so it passes the terminal channel like every other string (no escape sequence, no `##[` command).
  line = terminalText(redacted.text.replace(/\t/g, ' '));
  const gutter = `${String(f.span.line).padStart(5)} | `;
  const shown = cut(line.trimEnd(), width - gutter.length);
  if (column > shown.length) return [gutter + shown];
  column = Math.min(column, shown.length);
  const carets = '^'.repeat(Math.max(1, Math.min(length, shown.length - column + 1)));
  return [gutter + shown, `${' '.repeat(gutter.length - 2)}| ${' '.repeat(column - 1)}${carets}`];
}

/** Where a headline that does not fit on the finding's first line goes on. */
const HEADLINE_INDENT = '    ';

/**
 * A message's first sentence (the headline) and the rest (the help): it ends at the first `.` or `;` that is
 * followed by a space and a capital or a backtick, outside brackets and code, so a parenthesis is never cut.
 */
export function splitMessage(message: string): { what: string; help: string } {
  let depth = 0;
  let code = false;
  for (let i = 0; i < message.length; i++) {
    const c = message[i]!;
    if (c === '`') code = !code;
    else if (code) continue;
    else if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if ((c === '.' || c === ';') && depth === 0) {
      const rest = /^\s+(?=[A-Z`])/.exec(message.slice(i + 1));
      if (rest && i > 0)
        return { what: message.slice(0, i + 1), help: message.slice(i + 1 + rest[0].length) };
    }
  }
  return { what: message, help: '' };
}

/** `(medium confidence) ` before a message that is not sure; nothing for one of high confidence. */
function confidenceNote(f: Finding): string {
  return f.confidence === 'high' ? '' : `(${f.confidence} confidence) `;
}

function findingLines(
  f: Finding,
  lineOf: (f: Finding) => string | undefined,
  options: TextOptions,
): string[] {
  const place = f.file ? `${where(f.file, f.span.line, f.span.column)}: ` : 'this runner: ';
  const head = `${place}${f.severity}[${f.rule}]:`;
  const { what: message, help } = splitMessage(f.message);
  // A finding that is not sure says so before what it says.
  const what = `${confidenceNote(f)}${message}`;
  // The headline is wrapped, never cut (but for a word longer than the line); the path is never cut, and
  // when it and the rule leave no room the headline starts on the next line.
  const headline =
    options.width - head.length > 12
      ? wrap(what, options.width, `${head} `, HEADLINE_INDENT)
      : [head, ...wrap(what, options.width, HEADLINE_INDENT)];
  const coloured = `${place}${severityWord(f.severity, options)}[${f.rule}]:`;
  const out = headline.map((line, i) => (i === 0 ? coloured + line.slice(head.length) : line));
  const text = lineOf(f);
  if (text !== undefined) out.push(...snippet(f, text, options.width));
  for (const r of f.related ?? []) {
    out.push(
      cut(`    via ${where(r.file, r.span.line, r.span.column)}: ${shortPins(r.label)}`, options.width),
    );
  }
  if (help) out.push(...wrap(shortPins(help), options.width, '  help: ', '        '));
  return out;
}

/** The route table and the findings, as a person reads them in a terminal. */
export function formatText(
  scanned: Report,
  lineOf: (file: string, line: number) => string | undefined,
  options: TextOptions = { width: DEFAULT_WIDTH, compact: false, color: false },
): string {
  return [...textLines(scanned, lineOf, options)].join('\n');
}

/** formatText line by line, for a report too large to hold as one string. */
export function* textLines(
  scanned: Report,
  lineOf: (file: string, line: number) => string | undefined,
  options: TextOptions = { width: DEFAULT_WIDTH, compact: false, color: false },
): Generator<string> {
  // Every string was escaped before layout; wrapping can still start a line with a word from inside one.
  for (const line of laidOut(scanned, lineOf, options)) yield noCommandAtStart(line);
}

function* laidOut(
  scanned: Report,
  lineOf: (file: string, line: number) => string | undefined,
  options: TextOptions,
): Generator<string> {
  // Names and messages come from the scanned files: every string of the report passes the terminal
  // channel here, once, so the layout below works on text that is already safe to print.
  const report = escapeStrings(scanned, terminalText);
  // Source lines are looked up by the file's real name, not by its escaped form.
  const realFile = new Map(report.findings.map((f, i) => [f, scanned.findings[i]!.file]));
  const readLine = (f: Finding): string | undefined =>
    f.file ? lineOf(realFile.get(f) ?? f.file, f.span.line) : undefined;
  const findings = sortForReading(report.findings);
  const unresolved = report.unresolved;
  if (options.compact) {
    for (const f of findings)
      yield `${f.file ? where(f.file, f.span.line, f.span.column) : 'this runner'}: ${f.severity}[${f.rule}]: ${confidenceNote(f)}${f.message}`;
    // Not a finding of a rule (nothing to explain or ignore): what the scan could not see, said as such.
    for (const u of unresolved) yield `${where(u.file, u.line, u.column)}: not followed: ${u.message}`;
    for (const k of report.skipped) yield `${k.file}: skipped: ${k.reason}`;
    // A filtered list must not read as a whole one: what the filter left out is said last, with no place.
    const hidden = hiddenSentence(report);
    if (hidden) yield hidden;
    return;
  }
  if (report.routes.length === 0) yield* wrap(`${runsInFiles(report)}.`, options.width, '', '  ');
  else yield* routeTable(report, options.width);
  for (const f of findings) yield* ['', ...findingLines(f, readLine, options)];
  const c = countBySeverity(report.findings);
  yield* ['', `${c.error} error(s), ${c.warning} warning(s), ${c.notice} notice(s)${hiddenWords(report)}`];
  if (unresolved.length > 0) {
    yield* [
      '',
      ...wrap(
        `${unresolved.length} reference(s) could not be followed, so the Claude runs behind them are not checked:`,
        options.width,
        '',
      ),
    ];
    for (const u of report.unresolved) {
      yield* wrap(u.message, options.width, `  ${where(u.file, u.line, u.column)}: `, '    ');
    }
  }
  if (report.skipped.length > 0) {
    yield* ['', `${report.skipped.length} YAML file(s) skipped, not workflows or actions:`];
    for (const k of report.skipped) yield* wrap(k.reason, options.width, `  ${k.file}: `, '    ');
  }
}
