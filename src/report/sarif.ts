import { ENGINE_RULES, RULES } from '../rules/index.js';
import { docsUrl } from '../rules/rule.js';
import type { Report } from '../scan.js';

const LEVEL = { error: 'error', warning: 'warning', notice: 'note' } as const;

/** SARIF 2.1.0 for GitHub code scanning: one result per finding, with rule metadata and help links. */
export function formatSarif(report: Report, version: string): string {
  const rules = [
    ...RULES.map((r) => ({ id: r.id, summary: r.summary, severity: r.severity })),
    ...Object.entries(ENGINE_RULES).map(([id, r]) => ({ id, summary: r.summary, severity: r.severity })),
  ];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'claude-route-guard',
            version,
            informationUri: 'https://github.com/claude-route-guard/claude-route-guard',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.summary },
              fullDescription: { text: `${r.summary} See ${docsUrl(r.id)}.` },
              helpUri: docsUrl(r.id),
              help: {
                text: `${r.summary} ${docsUrl(r.id)}`,
                markdown: `${r.summary} [Docs](${docsUrl(r.id)})`,
              },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.span.line,
                  startColumn: f.span.column,
                  endLine: f.span.endLine,
                  endColumn: f.span.endColumn,
                },
              },
            },
          ],
          ...(f.related && f.related.length > 0
            ? {
                relatedLocations: f.related.map((r, id) => ({
                  id,
                  message: { text: r.label },
                  physicalLocation: {
                    artifactLocation: { uri: r.file, uriBaseId: '%SRCROOT%' },
                    region: {
                      startLine: r.span.line,
                      startColumn: r.span.column,
                      endLine: r.span.endLine,
                      endColumn: r.span.endColumn,
                    },
                  },
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
