import type { Finding, Report, RouteRow } from '../types.js';
import { jsonPieces, Mapped } from './stream.js';

/** Where the JSON Schema of this contract lives; the file is `schema/report-v1.json` in the package. */
export const JSON_SCHEMA_URL =
  'https://raw.githubusercontent.com/claude-route-guard/claude-route-guard/main/schema/report-v1.json';

/** The stable JSON contract (version 1) other tools parse; docs/json.md describes every field. */
export function formatJson(report: Report): string {
  return [...jsonReportPieces(report)].join('');
}

/** formatJson in pieces of about one entry each, for a report too large to hold as one string. */
export function jsonReportPieces(report: Report): Generator<string> {
  return jsonPieces(
    {
      schema: JSON_SCHEMA_URL,
      version: report.version,
      routes: new Mapped(report.routes, jsonRoute),
      findings: new Mapped(report.findings, jsonFinding),
      skipped: report.skipped,
      unresolved: new Mapped(report.unresolved, jsonUnresolved),
      stats: {
        files: report.files,
        notParsed: report.notParsed,
        ...(report.hidden ? { hidden: report.hidden } : {}),
      },
    },
    2,
  );
}

/** An entry of `unresolved` as version 1 of the contract has it: what the engine marks on it stays out. */
export function jsonUnresolved(entry: Report['unresolved'][number]): Report['unresolved'][number] {
  const out = { ...entry };
  delete out.remoteUnread;
  return out;
}

/**
 * A route as version 1 of the contract has it. A cloud route's identity is shown to people (text, summary)
 * and joins the JSON only in a new version: fields are never added to this one.
 */
export function jsonRoute(row: RouteRow): RouteJson {
  const out: Partial<RouteRow> = { ...row };
  delete out.identity;
  return out as RouteJson;
}

/** A route as the JSON contract (version 1) writes it. */
export type RouteJson = Omit<RouteRow, 'identity'>;

/** A finding as the JSON contract writes it: its place spelled out, its related places likewise. */
export interface FindingJson {
  rule: string;
  severity: Finding['severity'];
  confidence: Finding['confidence'];
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The job the finding belongs to, its step, and the job's file when not `file`; absent for none. */
  job?: string;
  step?: string | null;
  jobFile?: string;
  message: string;
  related?: {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    label: string;
  }[];
}

export function jsonFinding(f: Finding): FindingJson {
  return {
    rule: f.rule,
    severity: f.severity,
    confidence: f.confidence,
    file: f.file,
    line: f.span.line,
    column: f.span.column,
    endLine: f.span.endLine,
    endColumn: f.span.endColumn,
    ...jobFields(f),
    message: f.message,
    // The engine stores `related` only when there is a place in it, as the SARIF writer relies on too.
    ...(f.related
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
  };
}

/** A finding's job, step and the job's file, each only when the finding has it (an addition to version 1). */
export function jobFields(f: Finding): Pick<FindingJson, 'job' | 'step' | 'jobFile'> {
  if (f.job === undefined) return {};
  return { job: f.job, step: f.step ?? null, ...(f.jobFile === undefined ? {} : { jobFile: f.jobFile }) };
}
