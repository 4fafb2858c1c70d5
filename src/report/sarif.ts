import { ENGINE_RULES, RULES, RUNTIME_RULES } from '../rules/index.js';
import { docsUrl } from '../rules/rule.js';
import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import { SEVERITY_RANK, type Span } from '../types.js';
import type { Report } from '../scan.js';
import { jsonPieces } from './stream.js';

const LEVEL = { error: 'error', warning: 'warning', notice: 'note' } as const;

/** Code scanning shows at most 5,000 results per run (and takes 25,000): the most severe are kept. */
export const SARIF_RESULT_LIMIT = 5000;
/** Messages quote names from the files; a long one would only push the upload past its size limit. */
const MESSAGE_LIMIT = 2000;

function clip(text: string): string {
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
}

/** SARIF 2.1.0 for GitHub code scanning: one result per finding, with rule metadata and help links. */
export function formatSarif(report: Report, version: string): string {
  return [...sarifPieces(report, version)].join('');
}

/** formatSarif in pieces of about one result each: down to a result's fields and each notification. */
export function sarifPieces(report: Report, version: string): Generator<string> {
  return jsonPieces(sarifLog(report, version), 6);
}

export function sarifLog(report: Report, version: string): Log {
  const rules = [
    ...[...RULES, ...RUNTIME_RULES].map((r) => ({ id: r.id, summary: r.summary, severity: r.severity })),
    ...Object.entries(ENGINE_RULES).map(([id, r]) => ({ id, summary: r.summary, severity: r.severity })),
  ];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const descriptors: ReportingDescriptor[] = rules.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_: string, __: string, c: string) => c.toUpperCase()),
    shortDescription: { text: r.summary },
    fullDescription: { text: `${r.summary} See ${docsUrl(r.id)}.` },
    helpUri: docsUrl(r.id),
    help: { text: `${r.summary} ${docsUrl(r.id)}`, markdown: `${r.summary} [Docs](${docsUrl(r.id)})` },
    defaultConfiguration: { level: LEVEL[r.severity] },
  }));
  // Findings about the runner itself have no place in a file; code scanning needs one.
  const placed = report.findings
    .filter((f) => f.file !== '')
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const results: Result[] = placed.slice(0, SARIF_RESULT_LIMIT).map((f) => {
    const result: Result = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: clip(f.message) },
      locations: [location(f.file, f.span)],
    };
    const ruleIndex = index.get(f.rule);
    if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
    if (f.related && f.related.length > 0) {
      result.relatedLocations = f.related.map((r, id) => ({
        ...location(r.file, r.span),
        id,
        message: { text: clip(r.label) },
      }));
    }
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'claude-route-guard',
            version,
            informationUri: 'https://github.com/claude-route-guard/claude-route-guard',
            rules: descriptors,
          },
        },
        results,
        // What could not be followed is no finding about the code, but a reader must know it is unchecked.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...report.unresolved.map((u) => ({
                level: 'note' as const,
                message: { text: `Not followed: ${u.message}` },
                locations: [
                  location(u.file, { line: u.line, column: u.column, endLine: u.line, endColumn: u.column }),
                ],
              })),
              ...(placed.length > SARIF_RESULT_LIMIT
                ? [
                    {
                      level: 'warning' as const,
                      message: {
                        text: `${placed.length - SARIF_RESULT_LIMIT} of ${placed.length} results are left out: code scanning shows at most ${SARIF_RESULT_LIMIT}. The job summary and --format json list them all.`,
                      },
                    },
                  ]
                : []),
            ],
          },
        ],
      },
    ],
  };
}

function location(file: string, span: Span): Location {
  return {
    physicalLocation: {
      // A remote callee's place is an absolute URL, not a file under the checkout.
      artifactLocation: /^https?:\/\//.test(file) ? { uri: file } : { uri: file, uriBaseId: '%SRCROOT%' },
      region: {
        startLine: span.line,
        startColumn: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
      },
    },
  };
}
