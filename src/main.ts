import * as core from './runner.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { homedir } from 'node:os';
import { jobEnvironment } from './claude/invocations.js';
import { resolveRoute } from './claude/precedence.js';
import { candidatesOf } from './claude/routes.js';
import { collectingGarbage } from './memory.js';
import { fsRepo, loadFiles, parseSize, UsageError, type LoadProblem } from './load.js';
import { analyseRuntime, type RuntimeInput } from './runtime/analyse.js';
import { shapeOf, type RuntimeFacts } from './runtime/facts.js';
import { checkKey } from './runtime/key-check.js';
import { probeRunner } from './runtime/probe.js';
import { loadPolicy } from './policy/load.js';
import { PolicyError } from './policy/policy.js';
import { commentBody, commentTarget, describeApiError, upsertComment } from './report/comment.js';
import { formatSarif } from './report/sarif.js';
import { formatSummary } from './report/summary.js';
import {
  countBySeverity,
  FAIL_ON_LEVELS,
  failsOn,
  scan,
  type FailOn,
  type Report,
  type RouteRow,
} from './scan.js';
import { SEVERITY_RANK, type Finding, type Severity } from './types.js';
import { VERSION } from './version.js';

/** GitHub keeps at most this many annotations of each severity per step, and this many per job. */
export const ANNOTATIONS_PER_SEVERITY = 10;
export const ANNOTATIONS_PER_JOB = 50;

export interface ActionSettings {
  paths: string[];
  config: string | undefined;
  /** Unset: the policy's fail-on, else error. */
  failOn: FailOn | undefined;
  sarifFile: string | undefined;
  comment: boolean;
  githubToken: string;
  apiTimeoutMs: number;
  runtimeCheck: boolean;
  verifyKey: boolean;
  expectedOrganization: string | undefined;
  maxFileSize: number | undefined;
  workspace: string;
}

function booleanInput(name: string, fallback = false): boolean {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'false') return false;
  if (raw === 'true') return true;
  throw new UsageError(`input ${name} must be true or false, not "${core.getInput(name)}"`);
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): ActionSettings {
  const paths = core
    .getInput('paths')
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const failOn = (core.getInput('fail-on') || undefined) as FailOn | undefined;
  if (failOn !== undefined && !FAIL_ON_LEVELS.includes(failOn)) {
    throw new UsageError(`input fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}, not "${failOn}"`);
  }
  const timeout = Number(core.getInput('api-timeout') || '10');
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 120) {
    throw new UsageError(
      `input api-timeout must be a number of seconds from 1 to 120, not "${core.getInput('api-timeout')}"`,
    );
  }
  const githubToken = core.getInput('github-token');
  if (githubToken) core.setSecret(githubToken);
  return {
    paths,
    config: core.getInput('config') || undefined,
    failOn,
    sarifFile: core.getInput('sarif-file') || undefined,
    comment: booleanInput('comment'),
    githubToken,
    apiTimeoutMs: timeout * 1000,
    runtimeCheck: booleanInput('runtime-check', env.GITHUB_ACTIONS === 'true'),
    verifyKey: booleanInput('verify-key'),
    expectedOrganization: core.getInput('expected-organization') || undefined,
    maxFileSize: parseSize(core.getInput('max-file-size'), 'input max-file-size'),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
  };
}

function annotate(f: Finding): void {
  if (!f.file) {
    // A finding about the runner itself, with no place in a file.
    const title = { title: `claude-route-guard: ${f.rule}` };
    if (f.severity === 'error') core.error(f.message, title);
    else if (f.severity === 'warning') core.warning(f.message, title);
    else core.notice(f.message, title);
    return;
  }
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

/** The most severe first, within GitHub's caps: the rest would be dropped unseen. Returns how many were left out. */
export function annotateAll(findings: Finding[]): number {
  const sorted = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const shown: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  let total = 0;
  for (const f of sorted) {
    // One slot is kept for the note that says where the rest are.
    if (shown[f.severity] >= ANNOTATIONS_PER_SEVERITY || total >= ANNOTATIONS_PER_JOB - 1) continue;
    shown[f.severity]++;
    total++;
    annotate(f);
  }
  return findings.length - total;
}

function blobBase(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  return server && repo && sha ? `${server}/${repo}/blob/${sha}/` : undefined;
}

/** Posts or updates the sticky comment; any failure is a warning, never a failed step. */
async function postComment(
  settings: ActionSettings,
  summary: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  let payload = {};
  try {
    if (env.GITHUB_EVENT_PATH) payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as object;
  } catch {
    // An unreadable event file means no pull request to comment on, handled below.
  }
  const target = commentTarget(env.GITHUB_EVENT_NAME ?? '', payload, env.GITHUB_REPOSITORY ?? '');
  if (typeof target === 'string') {
    core.notice(`The PR comment was skipped: ${target}.`);
    return undefined;
  }
  if (!settings.githubToken) return 'The PR comment was not posted: the github-token input is empty.';
  try {
    const done = await upsertComment({
      token: settings.githubToken,
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      target,
      body: commentBody(summary),
      timeoutMs: settings.apiTimeoutMs,
    });
    core.info(`The PR comment was ${done}.`);
    return undefined;
  } catch (error) {
    return `The PR comment was not posted: ${describeApiError(error, settings.apiTimeoutMs)}. The findings are in the annotations and this summary.`;
  }
}

function writeOutputs(report: Report, sarifFile: string | undefined): void {
  const counts = countBySeverity(report.findings);
  core.setOutput('errors', counts.error);
  core.setOutput('warnings', counts.warning);
  core.setOutput('notices', counts.notice);
  core.setOutput('routes', JSON.stringify(report.routes));
  core.setOutput('sarif-file', sarifFile ?? '');
}

/** The runner's own route, compared with what the workflow declares for this job. */
async function checkRunner(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
  facts: RuntimeFacts,
): Promise<{ row: RouteRow; findings: Finding[] }> {
  const input: RuntimeInput = { facts };
  const { workflowFile, job } = facts.runner;
  if (workflowFile && job) {
    const parsed = fsRepo(settings.workspace, settings.workspace).parse(workflowFile);
    const jobNode = parsed?.kind === 'workflow' ? parsed.jobs.find((j) => j.id === job) : undefined;
    if (parsed?.kind === 'workflow' && jobNode) {
      const bindings = jobEnvironment(parsed, jobNode, fsRepo(settings.workspace, settings.workspace));
      input.declared = { job, route: { ...resolveRoute(candidatesOf(bindings, false)), endpoint: null } };
      input.place = { file: parsed.file, span: jobNode.idSpan };
    }
  }
  const key = env.ANTHROPIC_API_KEY;
  if (settings.verifyKey && key && !['oauth-token', 'oauth-refresh-token'].includes(shapeOf(key))) {
    // The key was masked by the probe before this point; it is only ever sent, never printed.
    input.keyCheck = await checkKey(env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com', key);
  }
  if (settings.expectedOrganization) input.expectedOrganization = settings.expectedOrganization;
  return analyseRuntime(input);
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const settings = readSettings(env);
    // Mask first: the probe registers every credential value before anything is printed.
    const facts = settings.runtimeCheck
      ? probeRunner({
          env,
          home: env.HOME ?? homedir(),
          workspace: settings.workspace,
          platform: process.platform,
          mask: core.setSecret,
        })
      : undefined;
    const problems: LoadProblem[] = [];
    const policy = loadPolicy(settings.workspace, settings.config);
    const failOn = settings.failOn ?? policy.failOn ?? 'error';
    const report = scan(
      collectingGarbage(
        loadFiles(settings.paths, { cwd: settings.workspace, maxBytes: settings.maxFileSize }, problems),
      ),
      policy,
    );
    for (const p of problems) core.info(`${p.file}: ${p.message}`);
    if (facts) {
      const runtime = await checkRunner(settings, env, facts);
      report.routes.unshift(runtime.row);
      report.findings.push(...runtime.findings.filter((f) => policy.rules[f.rule] !== 'off'));
    }

    const notes: string[] = [];
    const left = annotateAll(report.findings);
    if (left > 0) {
      const note = `${left} finding(s) are not annotated because GitHub shows at most ${ANNOTATIONS_PER_SEVERITY} per severity and ${ANNOTATIONS_PER_JOB} per job; the job summary lists them all.`;
      core.notice(note);
      notes.push(note);
    }
    let sarifPath: string | undefined;
    if (settings.sarifFile) {
      sarifPath = resolve(settings.workspace, settings.sarifFile);
      mkdirSync(dirname(sarifPath), { recursive: true });
      writeFileSync(sarifPath, formatSarif(report, VERSION));
    }
    const base = { blob: blobBase(env) };
    if (settings.comment) {
      const warning = await postComment(settings, formatSummary(report, base), env);
      if (warning) {
        core.warning(warning);
        notes.push(warning);
      }
    }
    const summary = formatSummary(report, base, notes);
    if (env.GITHUB_STEP_SUMMARY) core.appendSummary(env.GITHUB_STEP_SUMMARY, summary);
    else core.info(summary);
    writeOutputs(report, sarifPath);

    if (failsOn(report.findings, failOn)) {
      const c = countBySeverity(report.findings);
      core.setFailed(
        `claude-route-guard found ${c.error} error(s), ${c.warning} warning(s) and ${c.notice} notice(s); fail-on is ${failOn}.`,
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
