import { countBySeverity, type Report, type RouteRow } from '../scan.js';
import type { Finding, Severity } from '../types.js';

/** GitHub shows at most 1 MiB of summary per step; stay under it with room for the closing note. */
export const SUMMARY_LIMIT = 1024 * 1024 - 4096;

export interface LinkBase {
  /** `https://github.com/owner/repo/blob/<sha>/`, or undefined outside Actions. */
  blob?: string;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function link(base: LinkBase, file: string, line: number, label: string): string {
  if (!base.blob || file.startsWith('..')) return `\`${cell(label)}\``;
  return `[\`${cell(label)}\`](${base.blob}${encodeURI(file)}#L${line})`;
}

function routeCell(r: RouteRow): string {
  if (r.certainty === 'unknown') return `unknown: ${cell(r.reason ?? 'decided at run time')}`;
  return r.route + (r.endpoint ? ` via ${cell(r.endpoint)}` : '');
}

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', notice: 'Notices' };

/** The route summary table and the findings, as Markdown for the job summary. */
export function formatSummary(report: Report, base: LinkBase, extraNotes: string[] = []): string {
  const counts = countBySeverity(report.findings);
  const out: string[] = ['## Claude Code billing routes', ''];
  out.push(
    `${report.routes.filter((r) => r.invocation !== 'runner').length} Claude Code run(s) in ${report.files} file(s): ${counts.error} error(s), ${counts.warning} warning(s), ${counts.notice} notice(s).`,
    '',
  );
  for (const note of extraNotes) out.push(`> ${cell(note)}`, '');
  if (report.routes.length > 0) {
    out.push(
      '| Workflow | Job | Step | Invocation | Route | Credential source | Verdict |',
      '|---|---|---|---|---|---|---|',
    );
    for (const r of report.routes) {
      const runner = r.invocation === 'runner';
      const credential = !r.credential
        ? 'none'
        : runner
          ? `${cell(r.credential.variable)} from ${cell(r.credential.source)}`
          : `${cell(r.credential.variable)} from ${link(base, r.credential.file, r.credential.line, `${r.credential.source}`)} (${r.credential.level}, line ${r.credential.line})`;
      if (runner) {
        // An unknown route already reads as its reason; repeating it would say the same thing twice.
        const detail = r.reason && r.certainty !== 'unknown' ? ` (${cell(r.reason)})` : '';
        out.push(
          `| **this runner** | ${cell(r.job)} | | ${cell(r.label)} | ${routeCell(r)}${detail} | ${credential} | ${cell(r.verdict)} |`,
        );
        continue;
      }
      out.push(
        `| ${link(base, r.file, r.line, r.file)} | ${cell(r.job)} | ${cell(r.step ?? '')} | ${cell(r.label)} | ${routeCell(r)} | ${credential} | ${cell(r.verdict)} |`,
      );
    }
    out.push('');
  }
  // Before the findings, so a comment cut at GitHub's size limit still says what went unchecked.
  if (report.unresolved.length > 0) {
    out.push(
      `### Not checked (${report.unresolved.length})`,
      '',
      'These references could not be followed, so the Claude runs behind them are not checked:',
      '',
    );
    for (const u of report.unresolved) {
      out.push(`- ${link(base, u.file, u.line, `${u.file}:${u.line}:${u.column}`)}: ${cell(u.message)}`);
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
      out.push(`- ${where} **${f.rule}**: ${cell(f.message)}${via}`);
    }
    out.push('');
  }
  let text = out.join('\n');
  if (text.length > SUMMARY_LIMIT) {
    const cut = text.lastIndexOf('\n', SUMMARY_LIMIT);
    text =
      text.slice(0, cut) +
      '\n\n> The summary was cut at GitHub’s size limit; run the CLI with `--format json` for the full list.\n';
  }
  return text;
}
