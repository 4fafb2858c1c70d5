import type { Report } from '../scan.js';

/** The stable JSON contract (version 1) other tools parse. */
export function formatJson(report: Report): string {
  return JSON.stringify(
    {
      version: report.version,
      routes: report.routes,
      findings: report.findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        file: f.file,
        line: f.span.line,
        column: f.span.column,
        endLine: f.span.endLine,
        endColumn: f.span.endColumn,
        message: f.message,
      })),
      skipped: report.skipped,
      unresolved: report.unresolved,
    },
    null,
    2,
  );
}
