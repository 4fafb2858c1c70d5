import { countBySeverity, type Report } from '../scan.js';

const KEY_SHAPE = /sk-ant-[A-Za-z0-9_-]+/g;

function redact(line: string | undefined): string | undefined {
  return line?.replace(KEY_SHAPE, '<redacted>');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '))
    .join('\n');
}

/** The route table and the findings, as a person reads them in a terminal. */
export function formatText(
  report: Report,
  lineOf: (file: string, line: number) => string | undefined,
): string {
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
        r.certainty === 'unknown'
          ? 'unknown'
          : r.route +
            (r.endpoint ? ` via ${r.endpoint}` : '') +
            (r.certainty === 'inferred' ? ' (inferred)' : '');
      rows.push([`${r.file}:${r.line}:${r.column}`, r.job, r.label, route, credential, r.verdict]);
    }
    out.push(table(rows));
  }
  if (report.findings.length > 0) {
    out.push('');
    for (const f of report.findings) {
      out.push(`${f.file}:${f.span.line}:${f.span.column}: ${f.severity}: ${f.message} [${f.rule}]`);
      // The line of a hard-coded credential is the credential: never echo it.
      const line = f.rule === 'hardcoded-credential' ? undefined : redact(lineOf(f.file, f.span.line));
      if (line !== undefined && line.length <= 300) {
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
  return out.join('\n');
}
