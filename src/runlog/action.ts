import { homedir } from 'node:os';
import * as core from '../runner.js';
import { readActionSettings, type ActionSettings } from '../action-settings.js';
import { annotateOn } from '../annotations.js';
import { fsRepo, loadFiles, parseSize, UsageError, type LoadProblem } from '../load.js';
import { failsOn } from '../policy/fail-on.js';
import {
  checkRunConclusion,
  checkRunTitle,
  CHECK_RUN_SUMMARY_LIMIT,
  PROOF_CHECK_RUN_NAME,
} from '../report/check-run.js';
import { logText, markdownCode, markdownText } from '../report/escape.js';
import { runsSummary, type RunReport } from '../report/runs.js';
import { capBytes } from '../report/summary.js';
import { runnerRoute } from '../runtime/facts.js';
import { probeRunner } from '../runtime/probe.js';
import { countBySeverity, scan } from '../scan.js';
import { ROUTE_KINDS, type RouteKind } from '../types.js';
import { declarations, type Declarations } from './declared.js';
import { DEFAULT_MAX_LOG_BYTES } from './read.js';
import { isUnread, runFindings, verifyLogFile, type Declaration, type VerifiedLog } from './verify.js';

/**
 * The action with `execution-file` set: a step after the Claude step that proves, from the run's own
 * log, the route it used, and compares it with what the files declare for that step. It reports only
 * the proof (findings, the summary section "What the runs used", outputs): the static findings are the
 * first guard step's to report. Its findings go where the `annotations` input says, a check run of its own
 * named PROOF_CHECK_RUN_NAME beside the scan's.
 */

const CUT =
  '> The summary was cut at GitHub’s size limit; run `claude-route-guard verify-run --format json` on the log for every run.';

interface VerifyInputs {
  files: string[];
  maxBytes: number;
  expectedRoute: RouteKind | undefined;
}

function readInputs(): VerifyInputs {
  const files = core
    .getInput('execution-file')
    .split('\n')
    .map((f) => f.trim())
    .filter(Boolean);
  const expected = core.getInput('expected-route');
  const routes = ROUTE_KINDS.filter((r) => r !== 'unknown');
  if (expected !== '' && !(routes as readonly string[]).includes(expected))
    throw new UsageError(`input expected-route must be one of ${routes.join(', ')}, not "${expected}"`);
  return {
    files,
    maxBytes: parseSize(core.getInput('max-log-size'), 'input max-log-size') ?? DEFAULT_MAX_LOG_BYTES,
    expectedRoute: expected === '' ? undefined : (expected as RouteKind),
  };
}

/**
 * What the files declare for each execution file: the static engine's rows for this job, from the
 * workflow GITHUB_WORKFLOW_REF names and the job GITHUB_JOB names.
 */
function declared(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
  inputs: VerifyInputs,
  runnerKinds: RouteKind[],
): Declarations {
  const expected = inputs.expectedRoute;
  const undeclared = (note: string): Declarations => ({
    byFile: inputs.files.map((): Declaration => ({
      inPlay: [...runnerKinds, ...(expected ? [expected] : [])],
      ...(expected ? { declared: { route: expected, declaredBy: 'Input expected-route gives' } } : {}),
    })),
    notes: [note],
  });
  const file = /^[^/]+\/[^/]+\/(.+?)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.[1];
  const jobId = env.GITHUB_JOB;
  if (!file || !jobId)
    return undeclared('GITHUB_WORKFLOW_REF or GITHUB_JOB is not set: no declared route to compare.');
  const workspace = settings.workspace;
  // The workflow is the pull request's file: read as every scanned file is, never through a link.
  const parsed = fsRepo(workspace, workspace, settings.repository).parse(file);
  const job = parsed?.kind === 'workflow' ? parsed.jobs.find((j) => j.id === jobId) : undefined;
  if (parsed?.kind !== 'workflow' || !job)
    return undeclared(`${file} or its job \`${jobId}\` could not be read: no declared route to compare.`);
  const problems: LoadProblem[] = [];
  const options = {
    cwd: workspace,
    root: workspace,
    maxBytes: settings.maxFileSize,
    ...(settings.repository ? { repoName: settings.repository } : {}),
  };
  const report = scan(loadFiles([file], options, problems));
  return declarations({
    workflow: parsed,
    job,
    rows: report.routes,
    files: inputs.files.length,
    action: env.GITHUB_ACTION,
    expectedRoute: expected,
    runnerKinds,
  });
}

function setOutputs(report: RunReport): void {
  const runs = report.logs.flatMap((l) => l.runs);
  const counts = countBySeverity(report.findings);
  core.setOutput('errors', counts.error);
  core.setOutput('warnings', counts.warning);
  core.setOutput('notices', counts.notice);
  core.setOutput('route-proved', runs.map((r) => r.proof.route).join(','));
  const cost = runs.reduce((sum, r) => sum + (r.costUsdEstimate ?? 0), 0);
  core.setOutput('cost-usd', String(Math.round(cost * 1e6) / 1e6));
  core.setOutput('runs-verified', runs.length);
}

function summary(report: RunReport, notes: string[], steps: Map<VerifiedLog, string>): string {
  const out = ['## Claude Code runs, proved from their own logs', ''];
  for (const note of notes) out.push(`> ${markdownText(note, 2000)}`, '');
  out.push(runsSummary(report, (log, run) => `${steps.get(log) ?? log.file}, run ${run.run}`));
  for (const f of report.findings)
    out.push(
      `- ${markdownCode(`${f.file}:${f.span.line}:${f.span.column}`)} **${f.rule}**: ${markdownText(f.message, 2000)}`,
    );
  return out.join('\n');
}

/** The action's run when `execution-file` is set. Every failure is one line, never a stack trace. */
export async function verifyRunAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const settings = readActionSettings(env);
    const inputs = readInputs();
    // Mask first: the probe registers every credential value on the runner before anything is printed.
    const facts = probeRunner({
      env,
      home: env.HOME ?? homedir(),
      workspace: settings.workspace,
      platform: process.platform,
      mask: core.setSecret,
    });
    const runner = runnerRoute(facts);
    const runnerKinds = [
      ...(runner.winner ? [runner.winner.kind] : []),
      ...runner.shadowed.map((c) => c.kind),
    ];
    const { byFile, notes } = declared(settings, env, inputs, runnerKinds);
    const logs: VerifiedLog[] = [];
    const steps = new Map<VerifiedLog, string>();
    const unread: string[] = [];
    const findings = inputs.files.flatMap((path, i) => {
      const declaration = byFile[i]!;
      const log = verifyLogFile(`execution file ${i + 1}`, path, inputs.maxBytes, declaration);
      if (isUnread(log)) {
        unread.push(
          `${log.file} (${path}): ${log.at ? `${log.at.line}:${log.at.column}: ` : ''}${log.reason}`,
        );
        return [];
      }
      logs.push(log);
      if (declaration.step) steps.set(log, declaration.step);
      if (log.cutShort)
        notes.push(`${log.file}: its last line (${log.cutShort.line}) is cut short and ignored.`);
      return runFindings(log, declaration);
    });
    const report: RunReport = { logs, findings };
    for (const note of notes) core.notice(logText(note), { title: 'claude-route-guard: run' });
    const failOn = settings.failOn ?? 'error';
    const notRead = unread.map((u) => `Not read: ${u}`);
    const annotated = await annotateOn(settings, env, {
      name: PROOF_CHECK_RUN_NAME,
      findings,
      conclusion: unread.length > 0 ? 'failure' : checkRunConclusion(findings, failOn),
      title: checkRunTitle(
        findings,
        logs.reduce((n, l) => n + l.runs.length, 0),
      ),
      summary: () =>
        capBytes(summary(report, [...notes, ...notRead], steps), CHECK_RUN_SUMMARY_LIMIT - 1024, CUT),
      reserved: notes.length,
    });
    const said = [annotated.warning, annotated.note].filter((n): n is string => n !== undefined);
    if (annotated.note) core.notice(annotated.note);
    const text = summary(report, [...notes, ...notRead, ...said], steps);
    if (env.GITHUB_STEP_SUMMARY) core.appendSummary(env.GITHUB_STEP_SUMMARY, text);
    else for (const line of text.split('\n')) core.info(logText(line));
    setOutputs(report);
    if (unread.length > 0) core.setFailed(logText(`claude-route-guard: not read: ${unread.join('; ')}`));
    else if (failsOn(findings, failOn))
      core.setFailed(
        `claude-route-guard: ${findings.length} run(s) used another route than the workflow declares; fail-on is ${failOn}.`,
      );
  } catch (error) {
    const known = error instanceof UsageError;
    core.setFailed(
      logText(known ? (error as Error).message : `claude-route-guard: ${(error as Error).message}`),
    );
  }
}
