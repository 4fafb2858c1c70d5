import type { FindingJson, RouteJson } from '../report/json.js';
import type { Report } from '../scan.js';
import type { Finding } from '../types.js';
import { jsonFinding, jsonRoute } from '../report/json.js';

/** One repository's answer: the scan's own routes and findings, files named from the repository root. */
export interface RepositoryResult {
  repository: string;
  /** The commit the files were read at; null for a repository with no commits. */
  commit: string | null;
  /** As the JSON contract has them: the inventory is written and merged as JSON. */
  routes: RouteJson[];
  findings: FindingJson[];
}

export function resultOf(repository: string, commit: string | null, report: Report): RepositoryResult {
  return {
    repository,
    commit,
    routes: report.routes.map(jsonRoute),
    findings: report.findings.map(jsonFinding),
  };
}

/** A finding as the engine holds it, from its JSON form. */
export function findingOf(f: FindingJson): Finding {
  const finding: Finding = {
    rule: f.rule,
    severity: f.severity,
    // A shard written before findings carried a confidence has none: its errors were rated as facts.
    confidence: (f as Partial<FindingJson>).confidence ?? 'high',
    file: f.file,
    span: { line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn },
    message: f.message,
  };
  if (f.related)
    finding.related = f.related.map((r) => ({
      file: r.file,
      span: { line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn },
      label: r.label,
    }));
  return finding;
}

/** The scan report a repository's result stands for (for the SARIF writer). */
export function reportOf(result: RepositoryResult): Report {
  return {
    version: 1,
    // The JSON contract keeps no cloud identity, so a stored result has none to give back.
    routes: result.routes.map((r) => ({ ...r, identity: null })),
    findings: result.findings.map(findingOf),
    skipped: [],
    unresolved: [],
    files: 0,
    notParsed: 0,
  };
}

/** Names in one order everywhere: GitHub's names ignore case, then by code unit so the order is total. */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
