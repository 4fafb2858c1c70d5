import * as core from '@actions/core';
import { loadFiles, UsageError, type LoadProblem } from './load.js';
import { loadPolicy } from './policy/load.js';
import { PolicyError } from './policy/policy.js';
import { formatSummary } from './report/summary.js';
import { countBySeverity, failsOn, scan, type FailOn } from './scan.js';
import { SEVERITY_RANK, type Finding, type Severity } from './types.js';

/** GitHub keeps at most this many annotations of each severity per step. */
export const ANNOTATIONS_PER_SEVERITY = 10;

export interface ActionSettings {
  paths: string[];
  config: string | undefined;
  /** Unset: the policy's fail-on, else error. */
  failOn: FailOn | undefined;
  workspace: string;
}

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'notice', 'never'];

export function readSettings(env: NodeJS.ProcessEnv = process.env): ActionSettings {
  const paths = core
    .getInput('paths')
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const failOn = (core.getInput('fail-on') || undefined) as FailOn | undefined;
  if (failOn !== undefined && !FAIL_ON.includes(failOn)) {
    throw new UsageError(`input fail-on must be one of ${FAIL_ON.join(', ')}, not "${failOn}"`);
  }
  return {
    paths,
    config: core.getInput('config') || undefined,
    failOn,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
  };
}

function annotate(f: Finding): void {
  const props: core.AnnotationProperties = {
    title: `claude-route-guard: ${f.rule}`,
    file: f.file,
    startLine: f.span.line,
    endLine: f.span.endLine,
  };
  if (f.span.line === f.span.endLine) {
    props.startColumn = f.span.column;
    props.endColumn = f.span.endColumn;
  }
  if (f.severity === 'error') core.error(f.message, props);
  else if (f.severity === 'warning') core.warning(f.message, props);
  else core.notice(f.message, props);
}

/** The most severe first, at most ten of each kind: the rest would be dropped by GitHub unseen. */
export function annotateAll(findings: Finding[]): number {
  const sorted = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const shown: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  let dropped = 0;
  for (const f of sorted) {
    if (shown[f.severity] >= ANNOTATIONS_PER_SEVERITY) {
      dropped++;
      continue;
    }
    shown[f.severity]++;
    annotate(f);
  }
  return dropped;
}

function blobBase(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  return server && repo && sha ? `${server}/${repo}/blob/${sha}/` : undefined;
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const settings = readSettings(env);
    const problems: LoadProblem[] = [];
    const policy = loadPolicy(settings.workspace, settings.config);
    const failOn = settings.failOn ?? policy.failOn ?? 'error';
    const report = scan(loadFiles(settings.paths, { cwd: settings.workspace }, problems), policy);
    for (const p of problems) core.info(`${p.file}: ${p.message}`);
    const dropped = annotateAll(report.findings);
    const notes: string[] = [];
    if (dropped > 0) {
      const note = `${dropped} more finding(s) are not annotated because GitHub shows at most ${ANNOTATIONS_PER_SEVERITY} per severity per step; all are listed in the job summary.`;
      core.info(note);
      notes.push(note);
    }
    const summary = formatSummary(report, { blob: blobBase(env) }, notes);
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summary, true).write();
    else core.info(summary);
    const counts = countBySeverity(report.findings);
    core.setOutput('errors', counts.error);
    core.setOutput('warnings', counts.warning);
    core.setOutput('notices', counts.notice);
    core.setOutput('routes', JSON.stringify(report.routes));
    if (failsOn(report.findings, failOn)) {
      core.setFailed(
        `claude-route-guard found ${counts.error} error(s), ${counts.warning} warning(s) and ${counts.notice} notice(s); fail-on is ${failOn}.`,
      );
    }
  } catch (error) {
    if (error instanceof PolicyError) {
      core.error(error.message, {
        title: 'claude-route-guard: policy',
        file: error.file,
        startLine: error.span.line,
        startColumn: error.span.column,
      });
    }
    const known = error instanceof UsageError || error instanceof PolicyError;
    core.setFailed(known ? (error as Error).message : `claude-route-guard: ${(error as Error).message}`);
  }
}
