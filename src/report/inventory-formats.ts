import type { RepositoryResult } from '../inventory/result.js';
import type { RouteRow } from '../scan.js';
import { logText, markdownCode, markdownText, terminalText } from './escape.js';
import {
  placeLink,
  rollupSentences,
  summary,
  type InventoryDocument,
  type RouteSummary,
} from './inventory.js';
import { jsonPieces, Mapped } from './stream.js';
import { SUMMARY_LIMIT } from './summary.js';

/** Where the JSON Schema of the inventory lives; the file is `schema/inventory-v1.json` in the package. */
export const INVENTORY_SCHEMA_URL =
  'https://raw.githubusercontent.com/claude-route-guard/claude-route-guard/main/schema/inventory-v1.json';

export const INVENTORY_FORMATS = ['text', 'markdown', 'csv', 'json', 'sarif'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** Repositories a person needs to see: those with a run or a finding (the others are counted in the roll-up). */
function* shown(doc: InventoryDocument): Generator<RepositoryResult> {
  for (const name of doc.names) {
    const result = doc.get(name);
    if (result.routes.length > 0 || result.findings.length > 0) yield result;
  }
}

function routeList(routes: RouteSummary[], code: (text: string) => string): string {
  return routes
    .map(
      (r) =>
        `${r.route}: ${r.runs} run${r.runs === 1 ? '' : 's'}${r.secrets.length > 0 ? ` (${r.secrets.map(code).join(', ')})` : ''}`,
    )
    .join('; ');
}

function certainty(r: RouteRow): string {
  return r.certainty === 'known' ? r.route : `${r.route} (${r.certainty})`;
}

/** For a terminal: the roll-up, then each repository with a run, then what could not be read. */
export function* inventoryText(doc: InventoryDocument): Generator<string> {
  yield* rollupSentences(doc.rollup);
  for (const result of shown(doc)) {
    const { routes, worst } = summary(result);
    yield '';
    yield terminalText(`${result.repository} at ${result.commit?.slice(0, 12) ?? 'no commit'}`);
    if (routes.length > 0) yield terminalText(`  ${routeList(routes, (s) => s)}`);
    if (worst)
      yield terminalText(
        `  worst: ${worst.severity} ${worst.rule} at ${worst.file}:${worst.line}:${worst.column}: ${worst.message}`,
      );
    for (const r of result.routes) {
      yield terminalText(`  ${r.file}:${r.line}:${r.column}  job ${r.job}  ${certainty(r)}  ${r.verdict}`);
      const link = placeLink(doc.server, result, r.file, r.line);
      if (link) yield `    ${terminalText(link)}`;
    }
  }
  if (doc.unreadable.length > 0) {
    yield '';
    yield 'Could not be read:';
    for (const u of doc.unreadable) yield terminalText(`  ${u.repository}: ${u.reason}`);
  }
}

function markdownLink(label: string, url: string | undefined): string {
  return url ? `[${markdownCode(label)}](${url})` : markdownCode(label);
}

/**
 * For a job summary: the roll-up, a table of the repositories with runs, each repository's runs with a
 * link to each place, and what could not be read; within `limit` bytes, with a note for what is cut.
 */
export function inventoryMarkdown(doc: InventoryDocument, limit = SUMMARY_LIMIT): string {
  const out: string[] = [
    `## Claude Code runs of ${markdownText(doc.owner)}`,
    '',
    ...rollupSentences(doc.rollup).map((s) => markdownText(s, 2000)),
    '',
  ];
  let used = out.join('\n').length;
  let cut = 0;
  const push = (lines: string[]): boolean => {
    const size = lines.join('\n').length + 1;
    if (used + size > limit - 1024) return false;
    out.push(...lines);
    used += size;
    return true;
  };
  const table = ['| Repository | Runs | Routes (secrets) | Worst finding |', '|---|---|---|---|'];
  const details: string[][] = [];
  for (const result of shown(doc)) {
    const { routes, worst } = summary(result);
    const worstCell = worst
      ? `${worst.severity}: ${markdownText(worst.rule)} at ${markdownLink(`${worst.file}:${worst.line}`, placeLink(doc.server, result, worst.file, worst.line))}`
      : '';
    table.push(
      `| ${markdownCode(result.repository)} | ${result.routes.length} | ${routeList(routes, (s) => markdownCode(s))} | ${worstCell} |`,
    );
    details.push([
      `<details><summary>${markdownText(result.repository)}: ${result.routes.length} run(s)</summary>`,
      '',
      '| Place | Job | Route | Verdict |',
      '|---|---|---|---|',
      ...result.routes.map(
        (r) =>
          `| ${markdownLink(`${r.file}:${r.line}:${r.column}`, placeLink(doc.server, result, r.file, r.line))} | ${markdownText(r.job)} | ${markdownText(certainty(r))} | ${markdownText(r.verdict)} |`,
      ),
      '',
      '</details>',
    ]);
  }
  if (table.length > 2 && !push([...table, ''])) cut += table.length - 2;
  for (const block of details) if (!push(block)) cut++;
  if (doc.unreadable.length > 0) {
    const rows = doc.unreadable.map((u) => `| ${markdownCode(u.repository)} | ${markdownText(u.reason)} |`);
    if (!push(['', '### Could not be read', '', '| Repository | Reason |', '|---|---|', ...rows]))
      cut += rows.length;
  }
  if (cut > 0)
    out.push(
      '',
      `> ${cut} part(s) are not shown here: the summary has a size limit. The JSON and CSV files list them all.`,
    );
  return out.join('\n');
}

const CSV_COLUMNS = [
  'repository',
  'status',
  'commit',
  'file',
  'line',
  'column',
  'job',
  'step',
  'invocation',
  'route',
  'certainty',
  'credential',
  'secrets',
  'verdict',
  'reason',
  'link',
] as const;

/**
 * A cell: quoted, inner quotes doubled, no line break (a runner log would read the next line as a
 * command), and no leading character a spreadsheet reads as a formula.
 */
function csvCell(value: string | number | null | undefined): string {
  let text = logText(String(value ?? ''));
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** For a spreadsheet: one row per run, and one per repository that could not be read. */
export function* inventoryCsv(doc: InventoryDocument): Generator<string> {
  yield CSV_COLUMNS.join(',');
  for (const name of doc.names) {
    const result = doc.get(name);
    for (const r of result.routes) {
      const row: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
        repository: result.repository,
        status: 'run',
        commit: result.commit,
        file: r.file,
        line: r.line,
        column: r.column,
        job: r.job,
        step: r.step,
        invocation: r.invocation,
        route: r.route,
        certainty: r.certainty,
        credential: r.credential?.variable ?? '',
        secrets: [...(r.credential?.source ?? '').matchAll(/\bsecrets\.([A-Za-z0-9_]+)/g)]
          .map((m) => m[1])
          .join(' '),
        verdict: r.verdict,
        reason: r.reason,
        link: placeLink(doc.server, result, r.file, r.line) ?? '',
      };
      yield CSV_COLUMNS.map((c) => csvCell(row[c])).join(',');
    }
  }
  for (const u of doc.unreadable)
    yield CSV_COLUMNS.map((c) =>
      csvCell(
        c === 'repository' ? u.repository : c === 'status' ? 'unreadable' : c === 'reason' ? u.reason : '',
      ),
    ).join(',');
}

/** The JSON of `schema/inventory-v1.json`, in pieces of about one repository each. */
export function inventoryJsonPieces(doc: InventoryDocument): Generator<string> {
  return jsonPieces(
    {
      schema: INVENTORY_SCHEMA_URL,
      version: 1,
      owner: doc.owner,
      server: doc.server,
      rollup: doc.rollup,
      repositories: new Mapped(doc.names, (name) => doc.get(name)),
      unreadable: doc.unreadable,
    },
    2,
  );
}
