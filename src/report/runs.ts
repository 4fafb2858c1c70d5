import { SUBSCRIPTION_ROUTES, type UsageProvider } from '../claude/proof.js';
import type { ProvedRun } from '../rules/run-rule.js';
import type { VerifiedLog } from '../runlog/verify.js';
import { evidencePlace } from '../runlog/verify.js';
import type { Report } from '../scan.js';
import type { Finding } from '../types.js';
import { jsonFinding } from './json.js';
import { markdownText } from './escape.js';
import { sarifLog } from './sarif.js';

/**
 * What runs used, in every channel: JSON (schema/run-v1.json), text, the job summary's section "What the
 * runs used", SARIF and workflow commands. A log's values reach these only as enums and numbers; file
 * names are the person's own (a CLI argument, an action input) and go through each channel's escaping.
 */

export interface RunReport {
  logs: VerifiedLog[];
  findings: Finding[];
}

/** Where the JSON Schema of `verify-run --format json` lives; the file is `schema/run-v1.json`. */
export const RUN_SCHEMA_URL =
  'https://raw.githubusercontent.com/claude-route-guard/claude-route-guard/main/schema/run-v1.json';

/** `total_cost_usd` is Claude Code's own estimate: these say so, and who really bills. */
export const COST_NOTES = {
  estimate: 'estimated at list prices; the bill is in the Console usage page or the cloud account',
  plan: "covered by the plan's usage limits, not billed per token",
} as const;

export function costNote(run: ProvedRun): string {
  return SUBSCRIPTION_ROUTES.includes(run.proof.route) ? COST_NOTES.plan : COST_NOTES.estimate;
}

/** The provider that served the run: the one that decided its route, else the only one seen. */
export function runProvider(run: ProvedRun): UsageProvider | null {
  const { providers } = run.evidence;
  if (run.proof.decidedBy === 'gateway-provider') return 'gateway';
  if (run.proof.decidedBy === 'cloud-provider' && run.proof.route !== 'unknown')
    return providers.find((p) => !['firstParty', 'gateway', 'other'].includes(p)) ?? null;
  return providers.length === 1 ? providers[0]! : null;
}

/** One run as `runs[]` of the JSON contract. */
export function runJson(file: string, run: ProvedRun): object {
  const at = evidencePlace(run);
  return {
    file,
    run: run.run,
    line: run.start.line,
    column: run.start.column,
    route: run.proof.route,
    evidence: {
      apiKeySource: run.evidence.apiKeySource,
      providers: run.evidence.providers,
      rateLimitEvents: run.evidence.rateLimitEvents,
      rejectedRateLimitEvents: run.rejectedRateLimitEvents,
      decidedBy: run.proof.decidedBy,
      possible: run.proof.possible,
      line: at?.start.line ?? null,
      column: at?.start.column ?? null,
    },
    models: run.models,
    provider: runProvider(run),
    claudeCodeVersion: run.claudeCodeVersion,
    turns: run.turns,
    durationMs: run.durationMs,
    tokens: run.tokens,
    costUsdEstimate: run.costUsdEstimate,
    costNote: costNote(run),
    failure: run.failure,
  };
}

export function formatRunsJson(report: RunReport): string {
  return JSON.stringify(
    {
      schema: RUN_SCHEMA_URL,
      version: 1,
      runs: report.logs.flatMap((log) => log.runs.map((run) => runJson(log.file, run))),
      findings: report.findings.map(jsonFinding),
      cutShort: report.logs.flatMap((log) =>
        log.cutShort ? [{ file: log.file, line: log.cutShort.line, column: log.cutShort.column }] : [],
      ),
    },
    null,
    2,
  );
}

/** What decided the route, in words of enums and numbers. */
export function provedBy(run: ProvedRun): string {
  const e = run.evidence;
  if (e.apiKeySource === null) return 'no system/init message: Claude Code did not start';
  const parts = [`apiKeySource ${e.apiKeySource}`];
  if (e.providers.length > 0) parts.push(`provider ${e.providers.join(', ')}`);
  if (e.rateLimitEvents > 0)
    parts.push(`${e.rateLimitEvents} rate-limit event${e.rateLimitEvents === 1 ? '' : 's'}`);
  if (run.proof.decidedBy === 'declared-credentials') parts.push('the one credential of those in play');
  if (run.proof.possible.length > 0) parts.push(`one of ${run.proof.possible.join(', ')}`);
  return parts.join(', ');
}

const number = (n: number): string => n.toLocaleString('en-US');

/** Models, version, turns, duration and tokens of a run, or `-` for each that the log does not give. */
export function usageParts(run: ProvedRun): {
  models: string;
  version: string;
  turns: string;
  duration: string;
  tokens: string;
  cost: string;
} {
  const t = run.tokens;
  return {
    models:
      run.models.length > 0
        ? run.models.map((m) => `${m.model}${m.provider ? ` (${m.provider})` : ''}`).join(', ')
        : '-',
    version: run.claudeCodeVersion ?? '-',
    turns: run.turns === null ? '-' : `${number(run.turns)} turn${run.turns === 1 ? '' : 's'}`,
    duration: run.durationMs === null ? '-' : `${(run.durationMs / 1000).toFixed(1)} s`,
    tokens: t
      ? `${number(t.input)} in, ${number(t.output)} out, ${number(t.cacheRead)} cache read, ${number(t.cacheCreation)} cache write`
      : '-',
    cost: run.costUsdEstimate === null ? '-' : `$${run.costUsdEstimate.toFixed(4)}, ${costNote(run)}`,
  };
}

export function failureText(run: ProvedRun): string {
  const f = run.failure;
  if (!f) return '-';
  return f.apiErrorStatus === null ? f.kind : `${f.kind} (API status ${f.apiErrorStatus})`;
}

/** The runs as text for a terminal: one block per run. File names go through the caller's escaping. */
export function runsText(report: RunReport): string[] {
  if (report.logs.length === 0) return [];
  const runs = report.logs.reduce((n, log) => n + log.runs.length, 0);
  const out = [
    `${runs} run${runs === 1 ? '' : 's'} in ${report.logs.length} log${report.logs.length === 1 ? '' : 's'}`,
    '',
  ];
  for (const log of report.logs) {
    for (const run of log.runs) {
      const u = usageParts(run);
      out.push(
        `${log.file} run ${run.run} (line ${run.start.line}): ${run.proof.route}`,
        `    proved by: ${provedBy(run)}`,
        `    models: ${u.models}`,
        `    Claude Code ${u.version}, ${u.turns}, ${u.duration}, tokens: ${u.tokens}`,
        `    cost: ${u.cost}`,
        `    failure: ${failureText(run)}`,
      );
    }
  }
  if (report.findings.length > 0) out.push('');
  for (const f of report.findings)
    out.push(`${f.file}:${f.span.line}:${f.span.column}: ${f.severity}[${f.rule}]: ${f.message}`);
  return out;
}

/** The job summary's section: one row per run, every cell an enum, a number or the run's own label. */
export function runsSummary(report: RunReport, label: (log: VerifiedLog, run: ProvedRun) => string): string {
  const out = [
    '### What the runs used',
    '',
    '| Run | Route | Proved by | Models | Claude Code | Turns | Duration | Tokens | Cost | Failure |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const log of report.logs) {
    for (const run of log.runs) {
      const u = usageParts(run);
      const cells = [
        label(log, run),
        run.proof.route,
        provedBy(run),
        u.models,
        u.version,
        u.turns,
        u.duration,
        u.tokens,
        u.cost,
        failureText(run),
      ];
      out.push(`| ${cells.map((c) => markdownText(c)).join(' | ')} |`);
    }
  }
  out.push('', `Costs are Claude Code's own figures (\`total_cost_usd\`), ${COST_NOTES.estimate}.`, '');
  return out.join('\n');
}

/** SARIF 2.1.0: the findings as results, and the runs in the run's property bag. */
export function formatRunsSarif(report: RunReport, version: string): string {
  const asReport: Report = {
    version: 1,
    routes: [],
    findings: report.findings,
    skipped: [],
    unresolved: [],
    files: report.logs.length,
  };
  const log = sarifLog(asReport, version);
  log.runs[0]!.properties = {
    claudeRuns: report.logs.flatMap((l) => l.runs.map((run) => runJson(l.file, run))),
  };
  return JSON.stringify(log, null, 2);
}
