import { countBySeverity, type Report, type RouteRow } from '../scan.js';
import type { Finding, Severity } from '../types.js';
import { urlPath } from '../sources/address.js';
import { sourceWords } from '../workflow/values.js';
import { markdownCode, markdownProse, markdownText } from './escape.js';
import {
  endpointWords,
  hiddenWords,
  innerPlaces,
  NO_CLOUD_IDENTITY,
  runsInFiles,
  showsIdentity,
} from './wording.js';

/** GitHub shows at most 1 MiB of summary per step; stay under it with room for the closing note. */
export const SUMMARY_LIMIT = 1024 * 1024 - 4096;

/** What the pull request relaxes, and whether those changes govern this run. */
export interface Exceptions {
  applied: boolean;
  /** Changes to the policy file, one sentence each. */
  changes: string[];
  /** Inline ignores the base does not have, changes to the guard's own workflow: each at its place. */
  places?: { file: string; span: { line: number; column: number }; message: string }[];
  /** What could not be compared with the base, and why: said, never passed over. */
  problems?: string[];
}

export interface LinkBase {
  /** `https://github.com/owner/repo/blob/<sha>/`, or undefined outside Actions. */
  blob?: string;
}

/** Every value in the summary may come from the pull request: one inert cell each. */
const cell = (text: string): string => markdownText(text);
/** Our sentences quote names in backticks: those become code spans a reader can copy exactly. */
const prose = (text: string, limit?: number): string => markdownProse(text, limit);
/** Finding messages quote names from the files; a longer cap, still inert. */
const MESSAGE_LIMIT = 2000;

function link(base: LinkBase, file: string, line: number, label: string): string {
  // A place in a remote callee is already a full address (passes/place.ts); only a plain one is linked.
  if (/^https:\/\/[^\s()<>"'`\\]+$/.test(file))
    return `[${markdownCode(label)}](${file.includes('#') ? file : `${file}#L${line}`})`;
  if (!base.blob || file.startsWith('..')) return markdownCode(label);
  return `[${markdownCode(label)}](${base.blob}${urlPath(file)}#L${line})`;
}

function routeCell(r: RouteRow): string {
  const via = r.endpoint ? ` via ${cell(endpointWords(r.endpoint))}` : '';
  if (r.certainty === 'unknown') return `unknown${via}: ${prose(r.reason ?? 'decided at run time')}`;
  const route = r.route + via;
  return r.certainty === 'inferred' ? `${route} (inferred: ${prose(r.reason ?? 'not seen into')})` : route;
}

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', notice: 'Notices' };

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** How the Workflow cell names a row's place: its file, or with line and column where that alone repeats. */
interface PlaceCell {
  label: string;
  /** The run the row reaches, when rows of one place and job reach different runs (innerPlaces). */
  run?: Pick<RouteRow, 'file' | 'line' | 'column'>;
}

function routeLine(r: RouteRow, base: LinkBase, place: PlaceCell): string {
  const runner = r.invocation === 'runner';
  const credential = !r.credential
    ? 'none'
    : runner
      ? `${cell(r.credential.variable)} from ${cell(r.credential.source)}`
      : `${cell(r.credential.variable)} ${r.credential.source === 'literal' ? '' : 'from '}${link(base, r.credential.file, r.credential.line, sourceWords(r.credential.source))} (${r.credential.level}, line ${r.credential.line})`;
  if (runner) {
    // An unknown route already reads as its reason; repeating it would say the same thing twice.
    const detail = r.reason && r.certainty !== 'unknown' ? ` (${prose(r.reason)})` : '';
    return `| **this runner** | ${cell(r.job)} | | ${cell(r.label)} | ${routeCell(r)}${detail} | ${credential} | ${cell(r.verdict)} |`;
  }
  // A cloud switch names the cloud; the login step or credential variable names whose account pays.
  const identity = !showsIdentity(r)
    ? ''
    : r.identity
      ? `; identity: ${link(base, r.identity.file, r.identity.line, r.identity.label)} (line ${r.identity.line})`
      : `; identity: ${cell(NO_CLOUD_IDENTITY)}`;
  // The invocation is what the workflow says (a `uses:` value, a command): a code span copies exactly.
  // Rows of one place and job that reach different runs name the run each reaches (innerPlaces).
  const { run } = place;
  const reaches = run ? ` → ${link(base, run.file, run.line, `${run.file}:${run.line}:${run.column}`)}` : '';
  return `| ${link(base, r.file, r.line, place.label)}${reaches} | ${cell(r.job)} | ${cell(r.step ?? '')} | ${markdownCode(r.label)} | ${routeCell(r)} | ${credential}${identity} | ${cell(r.verdict)} |`;
}

/** The route table may use half the space, so the findings after it always have room. */
function routeTable(routes: RouteRow[], base: LinkBase, budget: number): string[] {
  if (routes.length === 0) return [];
  const out = [
    '| Workflow | Job | Step | Invocation | Route | Credential source | Verdict |',
    '|---|---|---|---|---|---|---|',
  ];
  let used = 0;
  const inner = innerPlaces(routes);
  // Rows the cells would show alike (one file, job, step and run: a run and its retry on one line) are
  // told apart by where each is written.
  const alike = new Map<string, number>();
  const key = (r: RouteRow): string => JSON.stringify([r.file, r.job, r.step, r.label]);
  for (const r of routes) alike.set(key(r), (alike.get(key(r)) ?? 0) + 1);
  for (const [i, r] of routes.entries()) {
    const label = alike.get(key(r))! > 1 && !inner.has(r) ? `${r.file}:${r.line}:${r.column}` : r.file;
    const run = inner.get(r);
    const line = routeLine(r, base, run ? { label, run } : { label });
    used += bytes(line) + 1;
    if (used > budget) {
      out.push(
        '',
        `> ${routes.length - i} more run(s) are not shown here; the \`routes\` output and \`--format json\` list them all.`,
      );
      break;
    }
    out.push(line);
  }
  out.push('');
  return out;
}

/** The route summary table and the findings, as Markdown for the job summary, within GitHub's size limit. */
export function formatSummary(
  report: Report,
  base: LinkBase,
  extraNotes: string[] = [],
  limit = SUMMARY_LIMIT,
  exceptions?: Exceptions,
): string {
  const counts = countBySeverity(report.findings);
  const out: string[] = ['## Claude Code billing routes', ''];
  out.push(
    `${runsInFiles(report)}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.notice} notice(s)${hiddenWords(report)}.`,
    '',
  );
  for (const note of extraNotes) out.push(`> ${prose(note, MESSAGE_LIMIT)}`, '');
  out.push(...routeTable(report.routes, base, limit / 2));
  // Before the findings, so a comment cut at GitHub's size limit still says what went unchecked.
  if (report.unresolved.length > 0) {
    out.push(
      `### Not checked (${report.unresolved.length})`,
      '',
      'These references could not be followed, so the Claude runs behind them are not checked:',
      '',
    );
    for (const u of report.unresolved) {
      out.push(
        `- ${link(base, u.file, u.line, `${u.file}:${u.line}:${u.column}`)}: ${prose(u.message, MESSAGE_LIMIT)}`,
      );
    }
    out.push('');
  }
  const bySeverity: Record<Severity, Finding[]> = { error: [], warning: [], notice: [] };
  for (const f of report.findings) bySeverity[f.severity].push(f);
  for (const severity of ['error', 'warning', 'notice'] as const) {
    const list = bySeverity[severity];
    if (list.length === 0) continue;
    out.push(`### ${HEADINGS[severity]} (${list.length})`, '');
    for (const f of list) {
      const where = f.file
        ? link(base, f.file, f.span.line, `${f.file}:${f.span.line}:${f.span.column}`)
        : 'this runner';
      const related = (f.related ?? []).map(
        (r) => `${link(base, r.file, r.span.line, `${r.file}:${r.span.line}`)} ${cell(r.label)}`,
      );
      const via = related.length > 0 ? ` (see ${related.join('; ')})` : '';
      out.push(`- ${where} **${f.rule}**: ${prose(f.message, MESSAGE_LIMIT)}${via}`);
    }
    out.push('');
  }
  // After the findings: these sentences quote the pull request's own words.
  const places = exceptions?.places ?? [];
  const problems = exceptions?.problems ?? [];
  if (exceptions && exceptions.changes.length + places.length + problems.length > 0) {
    out.push('### Exceptions this pull request adds', '');
    if (exceptions.changes.length + places.length > 0)
      out.push(
        exceptions.applied
          ? 'The pull request’s own workflow runs this check, so these changes apply here; a reviewer should confirm each one.'
          : 'The base branch’s workflow runs this check, so these changes do not apply until they are merged.',
        '',
      );
    for (const change of exceptions.changes) out.push(`- ${prose(change, MESSAGE_LIMIT)}`);
    for (const p of places)
      out.push(
        `- ${link(base, p.file, p.span.line, `${p.file}:${p.span.line}:${p.span.column}`)}: ${prose(p.message, MESSAGE_LIMIT)}`,
      );
    for (const problem of problems) out.push(`- not compared: ${prose(problem, MESSAGE_LIMIT)}`);
    out.push('');
  }
  return capBytes(
    out.join('\n'),
    limit,
    '> The summary was cut at GitHub’s size limit; run the CLI with `--format json` for the full list.',
  );
}

/** Cuts Markdown at the last whole line within `limit` bytes and says so. */
export function capBytes(text: string, limit: number, note: string): string {
  if (bytes(text) <= limit) return text;
  // The prefix that fits in bytes, then back to its last whole line (a split character is dropped with it).
  const fitting = Buffer.from(text, 'utf8').subarray(0, limit).toString('utf8');
  const cut = fitting.lastIndexOf('\n');
  return `${text.slice(0, Math.max(cut, 0))}\n\n${note}\n`;
}
