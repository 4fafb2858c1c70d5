import type { Report } from '../scan.js';

/** Where the JSON Schema of this contract lives; the file is `schema/report-v1.json` in the package. */
export const JSON_SCHEMA_URL =
  'https://raw.githubusercontent.com/claude-route-guard/claude-route-guard/main/schema/report-v1.json';

/** The stable JSON contract (version 1) other tools parse; docs/json.md describes every field. */
export function formatJson(report: Report): string {
  return JSON.stringify(
    {
      schema: JSON_SCHEMA_URL,
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
        ...(f.related && f.related.length > 0
          ? {
              related: f.related.map((r) => ({
                file: r.file,
                line: r.span.line,
                column: r.span.column,
                endLine: r.span.endLine,
                endColumn: r.span.endColumn,
                label: r.label,
              })),
            }
          : {}),
      })),
      skipped: report.skipped,
      unresolved: report.unresolved,
    },
    null,
    2,
  );
}
