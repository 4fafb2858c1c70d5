import { countBySeverity, type Report } from '../scan.js';
import { escapeStrings, terminalText } from './escape.js';
import { redactLine } from './redact.js';

/** A source line fit to print: short, and every credential value redacted. */
function snippet(line: string | undefined): string | undefined {
  return line === undefined || line.length > 300 ? undefined : redactLine(line);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '))
    .join('\n');
}

/** The route table and the findings, as a person reads them in a terminal. */
export function formatText(
  scanned: Report,
  lineOf: (file: string, line: number) => string | undefined,
): string {
  // Names and messages come from the scanned files: no control character may reach the terminal.
  const report = escapeStrings(scanned, terminalText);
  const out: string[] = [];
  if (report.routes.length === 0) {
    out.push(`No Claude Code runs found in ${report.files} file(s).`);
  } else {
    out.push(`Claude Code runs: ${report.routes.length} in ${report.files} file(s)`, '');
    const rows = [['WHERE', 'JOB', 'INVOCATION', 'ROUTE', 'CREDENTIAL', 'VERDICT']];
    for (const r of report.routes) {
      const credential = r.credential
        ? `${r.credential.variable} <- ${r.credential.source} (${r.credential.level}, ${r.credential.file === r.file ? '' : r.credential.file + ':'}${r.credential.line}:${r.credential.column})`
        : '-';
      const route =
        r.certainty === 'unknown' ? 'unknown' : r.route + (r.endpoint ? ` via ${r.endpoint}` : '');
      rows.push([`${r.file}:${r.line}:${r.column}`, r.job, r.label, route, credential, r.verdict]);
    }
    out.push(table(rows));
  }
  if (report.findings.length > 0) {
    out.push('');
    for (const [i, f] of report.findings.entries()) {
      out.push(`${f.file}:${f.span.line}:${f.span.column}: ${f.severity}: ${f.message} [${f.rule}]`);
      // The line of a hard-coded credential is the credential: never echo it.
      const line =
        f.rule === 'hardcoded-credential'
          ? undefined
          : snippet(lineOf(scanned.findings[i]!.file, f.span.line));
      if (line !== undefined) {
        const width =
          f.span.endLine === f.span.line
            ? Math.max(1, f.span.endColumn - f.span.column)
            : Math.max(1, line.length - f.span.column + 1);
        out.push(
          `  ${line}`,
          `  ${' '.repeat(Math.max(0, f.span.column - 1))}${'^'.repeat(Math.min(width, 120))}`,
        );
      }
    }
  }
  const c = countBySeverity(report.findings);
  out.push('', `${c.error} error(s), ${c.warning} warning(s), ${c.notice} notice(s)`);
  for (const u of report.unresolved) out.push(`${u.file}:${u.line}:${u.column}: not followed: ${u.message}`);
  if (report.skipped.length > 0)
    out.push(`${report.skipped.length} YAML file(s) skipped: not workflows or actions.`);
  // Every field above may come from the scanned files, so each printed line is escaped as a whole.
  return out.join('\n').split('\n').map(terminalText).join('\n');
}
