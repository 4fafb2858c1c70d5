import { gzipSync } from 'node:zlib';
import { CATALOGUE } from '../rules/index.js';
import { docsUrl } from '../rules/rule.js';
import type { Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { Confidence, Span } from '../types.js';
import type { Report } from '../types.js';
import { isRemoteFile, urlPath } from '../sources/address.js';
import { rankFindings } from './github.js';
import { hiddenSentence } from './wording.js';
import { jobFields } from './json.js';

const LEVEL = { error: 'error', warning: 'warning', notice: 'note' } as const;

/** SARIF's `rank` (0 to 100, how much a result is worth a look): how sure the finding is. */
const RANK: Record<Confidence, number> = { high: 90, medium: 60, low: 30 };

/** Code scanning shows at most 5,000 results per run (and takes 25,000): the most severe are kept. */
export const SARIF_RESULT_LIMIT = 5000;
/** GitHub refuses an upload over 10 MB gzip-compressed; the margin covers the closing note. */
export const SARIF_GZIP_LIMIT = 10 * 1000 * 1000 - 64 * 1024;
/** Messages quote names from the files; a long one would only push the upload past its size limit. */
const MESSAGE_LIMIT = 2000;

function clip(text: string): string {
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
}

export interface SarifOutput {
  text: string;
  /** Findings with a place that are not among the results, and why, when any are left out. */
  left?: { count: number; note: string };
}

/**
 * SARIF 2.1.0 for GitHub code scanning, within its limits: at most 5,000 results, and at most 10 MB
 * once gzip-compressed (names quoted from the pull request's files can make each result large). Results
 * are cut from the end of the annotations' ranking, so the worst findings are the last to go.
 */
export function sarifOutput(report: Report, version: string, gzipLimit = SARIF_GZIP_LIMIT): SarifOutput {
  const placed = report.findings.filter((f) => f.file !== '').length;
  let limit = SARIF_RESULT_LIMIT;
  for (;;) {
    const log = sarifLog(report, version, limit);
    const text = JSON.stringify(log, null, 2);
    const size = gzipSync(text).length;
    const kept = log.runs[0]!.results!.length;
    if (size <= gzipLimit || kept === 0) {
      if (kept === placed) return { text };
      const note = log.runs[0]!.invocations![0]!.toolExecutionNotifications!.at(-1)!.message.text!;
      return { text, left: { count: placed - kept, note } };
    }
    // Shrink in proportion to the excess, with a margin, so a few passes reach the limit.
    // The new limit is below `kept`, since `size` is over `gzipLimit`: every pass keeps fewer.
    limit = Math.floor((kept * gzipLimit * 0.9) / size);
  }
}

/** SARIF 2.1.0 for GitHub code scanning: one result per finding, with rule metadata and help links. */
export function formatSarif(report: Report, version: string): string {
  return sarifOutput(report, version).text;
}

export function sarifLog(report: Report, version: string, limit = SARIF_RESULT_LIMIT): Log {
  const index = new Map(CATALOGUE.map((r, i) => [r.id, i]));
  const descriptors: ReportingDescriptor[] = CATALOGUE.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_: string, __: string, c: string) => c.toUpperCase()),
    shortDescription: { text: r.summary },
    fullDescription: { text: `${r.summary} See ${docsUrl(r.id)}.` },
    helpUri: docsUrl(r.id),
    help: { text: `${r.summary} ${docsUrl(r.id)}`, markdown: `${r.summary} [Docs](${docsUrl(r.id)})` },
    defaultConfiguration: { level: LEVEL[r.severity] },
  }));
  // Findings about the runner itself have no place in a file; code scanning needs one.
  // The annotations' ranking: the most severe first, route findings before unreadable files, the first
  // of each rule before repeats; whatever is cut comes off the end.
  const placed = rankFindings(report.findings.filter((f) => f.file !== ''));
  const keep = Math.min(limit, placed.length);
  const results: Result[] = placed.slice(0, keep).map((f) => {
    const result: Result = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      rank: RANK[f.confidence],
      message: { text: clip(f.message) },
      locations: [location(f.file, f.span)],
      // Every rule has a descriptor; an unknown one would get no index (JSON leaves out undefined).
      ruleIndex: index.get(f.rule),
      properties: { confidence: f.confidence, ...jobFields(f) },
    };
    // The engine stores `related` only when there is a place in it.
    if (f.related) {
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
        // What a confidence filter left out, counted for a program (the run's property bag) and said to a
        // person (a notification below): the results alone would read as the whole list.
        ...(report.hidden ? { properties: { hidden: report.hidden } } : {}),
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
              ...hiddenNotification(report),
              ...(placed.length > keep
                ? [
                    {
                      level: 'warning' as const,
                      message: {
                        text:
                          keep < SARIF_RESULT_LIMIT
                            ? `${placed.length - keep} of ${placed.length} results are left out: GitHub takes at most 10 MB of SARIF, gzip-compressed, and the least severe went first. The job summary and --format json list them all.`
                            : `${placed.length - keep} of ${placed.length} results are left out: code scanning shows at most ${SARIF_RESULT_LIMIT}, and the least severe went first. The job summary and --format json list them all.`,
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

/** The findings `--min-confidence` left out, as a note of the invocation: they are no result, and no failure. */
function hiddenNotification(report: Report): Notification[] {
  const said = hiddenSentence(report);
  if (!said) return [];
  const text = `${said}: --min-confidence (input min-confidence) left them out of the results.`;
  return [{ level: 'note', message: { text } }];
}

function location(file: string, span: Span): Location {
  return {
    physicalLocation: {
      // A remote callee's place is an absolute URL, not a file under the checkout. A path is a relative
      // URI: a space, `#`, `?` or `%` in a name would end it or change what it names, unless encoded.
      artifactLocation: isRemoteFile(file) ? { uri: file } : { uri: urlPath(file), uriBaseId: '%SRCROOT%' },
      region: {
        startLine: span.line,
        startColumn: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
      },
    },
  };
}
