import { ANTHROPIC_KEY_SHAPE, OTHER_TOKEN_SHAPE } from '../claude/precedence.js';
import type { Report, RouteRow } from '../types.js';

/**
 * Real credentials in the names the report carries (a job id, a step name, a run's label, a message that
 * quotes them): only full shapes, so advice that names a prefix (`sk-ant-oat01-`) keeps its words.
 */
const CREDENTIAL_SHAPES = new RegExp(`\\b(?:${ANTHROPIC_KEY_SHAPE.source}|${OTHER_TOKEN_SHAPE.source})`, 'g');

function shown(text: string): string {
  return text.replace(CREDENTIAL_SHAPES, '<redacted>');
}

function shownRow(r: RouteRow): RouteRow {
  return {
    ...r,
    job: shown(r.job),
    step: r.step === null ? null : shown(r.step),
    label: shown(r.label),
    identity: r.identity ? { ...r.identity, label: shown(r.identity.label) } : null,
    reason: r.reason === null ? null : shown(r.reason),
    via: r.via ? { ...r.via, label: shown(r.via.label) } : null,
    hops: r.hops.map((h) => ({ ...h, label: shown(h.label) })),
    callers: r.callers.map((c) => ({ ...c, job: shown(c.job) })),
  };
}

/**
 * The report every channel prints (text, JSON, SARIF, annotations, the summary, the action's outputs):
 * a key the pull request put in a job id or step name is flagged by hardcoded-credential, and must not
 * then be printed by the very report that flags it. Done last, after policies matched the real names.
 */
export function withoutCredentials(report: Report): Report {
  return {
    ...report,
    routes: report.routes.map(shownRow),
    findings: report.findings.map((f) => ({
      ...f,
      ...(f.job === undefined ? {} : { job: shown(f.job) }),
      ...(f.step ? { step: shown(f.step) } : {}),
      message: shown(f.message),
      ...(f.related ? { related: f.related.map((x) => ({ ...x, label: shown(x.label) })) } : {}),
    })),
  };
}
