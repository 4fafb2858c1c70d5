import * as core from './runner.js';
import { readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { writeInside } from './files.js';
import { knownWithoutReading } from './claude/actions.js';
import { jobEnvironment } from './flow/levels.js';
import { resolveRoute } from './claude/precedence.js';
import { candidatesOf } from './claude/routes.js';
import { collectingGarbage } from './memory.js';
import { withPlainEnv } from './plain-env.js';
import {
  fsRepo,
  loadFiles,
  UsageError,
  type LoadOptions,
  type LoadProblem,
  type SourceInput,
} from './load.js';
import { analyseRuntime, runnerRowMatters, type RuntimeInput } from './passes/runner.js';
import { shapeOf, type RuntimeFacts } from './runtime/facts.js';
import { checkKey } from './runtime/key-check.js';
import { probeRunner } from './runtime/probe.js';
import type { SeenIgnores } from './policy/exceptions.js';
import { PolicyError, type Policy } from './policy/policy.js';
import {
  emitExceptionNotices,
  exceptionNoticeSlots,
  policyForRun,
  pullRequestExceptions,
  pullRequestTrust,
  type PendingNotice,
} from './pull-request.js';
import {
  COMMENT_LIMIT,
  COMMENT_MARKER,
  commentBody,
  commentTarget,
  describeApiError,
  upsertComment,
} from './report/comment.js';
import { logText } from './report/escape.js';
import { sarifOutput, type SarifOutput } from './report/sarif.js';
import { jsonRoute } from './report/json.js';
import { linkBase } from './report/job-summary.js';
import { formatSummary, type Exceptions } from './report/summary.js';
import { hiddenWords } from './report/wording.js';
import { isRemoteFile, serverFor } from './sources/address.js';
import type { RemoteLookup } from './sources/remote.js';
import { failsOn, type FailOn } from './policy/fail-on.js';
import { countBySeverity, scan, withHidden, type Report, type RouteRow } from './scan.js';
import { sureEnough, type Finding } from './types.js';
import { readActionSettings, type ActionSettings } from './action-settings.js';
import { annotateFindings } from './annotations.js';
import { VERSION } from './version.js';

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
    const apiUrl = env.GITHUB_API_URL ?? 'https://api.github.com';
    return `The PR comment was not posted: ${describeApiError(error, settings.apiTimeoutMs, apiUrl)}. The findings are in the annotations and this summary.`;
  }
}

/** Job outputs share 1 MB per job; the routes JSON stays well inside it and stays valid JSON. */
export const ROUTES_OUTPUT_LIMIT = 900 * 1024;

function routesOutput(routes: readonly object[]): { json: string; left: number } {
  let json = JSON.stringify(routes);
  if (Buffer.byteLength(json) <= ROUTES_OUTPUT_LIMIT) return { json, left: 0 };
  let low = 0;
  let high = routes.length;
  // The longest prefix of rows that fits, by bisection: each try serialises at most the whole list.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(JSON.stringify(routes.slice(0, mid))) <= ROUTES_OUTPUT_LIMIT) low = mid;
    else high = mid - 1;
  }
  json = JSON.stringify(routes.slice(0, low));
  return { json, left: routes.length - low };
}

function writeOutputs(report: Report, sarifFile: string | undefined): void {
  const counts = countBySeverity(report.findings);
  core.setOutput('errors', counts.error);
  core.setOutput('warnings', counts.warning);
  core.setOutput('notices', counts.notice);
  core.setOutput('hidden', report.hidden?.findings ?? 0);
  const routes = routesOutput(report.routes.map(jsonRoute));
  if (routes.left > 0)
    core.notice(
      `The routes output holds the first ${report.routes.length - routes.left} of ${report.routes.length} runs: GitHub keeps at most 1 MB of outputs per job. The job summary and the CLI's --format json list them all.`,
    );
  core.setOutput('routes', routes.json);
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
      const bindings = jobEnvironment(parsed, jobNode);
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

/**
 * Remote callees through the run's GitHub API, before the scan. A failure is a notice that names the
 * callee and the reason; the call then keeps its inferred row and the run goes on.
 */
async function readRemote(
  settings: ActionSettings,
  options: LoadOptions,
  env: NodeJS.ProcessEnv,
): Promise<RemoteLookup | undefined> {
  const title = 'claude-route-guard: remote callee';
  try {
    const { readRemoteCallees } = await import('./remote-callees.js');
    const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
    const result = await readRemoteCallees(settings.paths, options, {
      apiUrl,
      server: serverFor(apiUrl, env.GITHUB_SERVER_URL),
      timeoutMs: settings.apiTimeoutMs,
      tokenHint: 'the action (github-token)',
      known: knownWithoutReading,
      ...(settings.githubToken ? { token: settings.githubToken } : {}),
    });
    for (const f of result.failures) {
      const message = `\`${f.uses}\` was not read, so its route stays inferred: ${f.why}.`;
      // A call inside another remote callee has no place in this repository to annotate.
      if (isRemoteFile(f.file))
        core.notice(logText(`${message} (Called at ${f.file}#L${f.span.line}.)`), { title });
      else
        core.notice(logText(message), {
          title,
          file: f.file,
          startLine: f.span.line,
          startColumn: f.span.column,
        });
    }
    for (const note of result.notes) core.notice(logText(note), { title });
    core.info(`Remote callees: ${result.read} read with ${result.requests} GitHub API request(s).`);
    return result.lookup;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    core.notice(logText(`Remote callees were not read: ${(error as Error).message}`), { title });
    return undefined;
  }
}

/** What one run of the action found, before any of it is printed. */
interface Outcome {
  report: Report;
  failOn: FailOn;
  exceptions?: Exceptions;
  /** Notices about what the pull request adds against its base, spent after the findings' annotations. */
  exceptionNotices: PendingNotice[];
  /** Files the loader did not read (a link, an unreadable folder), told in the log. */
  problems: LoadProblem[];
}

/**
 * The scan under the policy that governs this run. Where the base governs, the PR's own ignores do not
 * apply: once they are known, the scan runs again without them.
 */
async function scanWorkspace(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
): Promise<Omit<Outcome, 'failOn'> & { policy: Policy }> {
  const problems: LoadProblem[] = [];
  const pr = await pullRequestTrust(settings, env);
  const exceptionNotices: PendingNotice[] = [];
  const { policy, exceptions, baseRead } = await policyForRun(settings, pr, exceptionNotices);
  const loadOptions: LoadOptions = {
    cwd: settings.workspace,
    // One repository: a `.github` the pull request commits below the workspace does not make another.
    root: settings.workspace,
    maxBytes: settings.maxFileSize,
    ...(settings.repository ? { repoName: settings.repository } : {}),
  };
  const remote = settings.resolveRemote ? await readRemote(settings, loadOptions, env) : undefined;
  const files = (into: LoadProblem[]): Iterable<SourceInput> =>
    collectingGarbage(loadFiles(settings.paths, remote ? { ...loadOptions, remote } : loadOptions, into));
  const seen: SeenIgnores[] = [];
  let report = withPlainEnv(() =>
    scan(files(problems), policy, {
      minConfidence: settings.minConfidence,
      sawIgnores: (file, text, ignores) => seen.push({ file, text, ignores }),
    }),
  );
  if (exceptions) {
    const refused = await pullRequestExceptions(
      settings,
      env,
      pr,
      exceptions,
      seen,
      exceptionNotices,
      baseRead === true,
    );
    if (refused.size > 0)
      report = withPlainEnv(() =>
        scan(files([]), policy, {
          minConfidence: settings.minConfidence,
          refusesIgnore: (file, ignore) => refused.has(`${file}:${ignore.line}`),
        }),
      );
  }
  return { report, policy, ...(exceptions ? { exceptions } : {}), exceptionNotices, problems };
}

/** Compute: everything the action finds, from the workspace, the base commit and the runner itself. */
async function compute(settings: ActionSettings, env: NodeJS.ProcessEnv): Promise<Outcome> {
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
  const { policy, ...scanned } = await scanWorkspace(settings, env);
  const { report } = scanned;
  if (facts) {
    const runtime = await checkRunner(settings, env, facts);
    const { workflowFile, job } = facts.runner;
    const claudeJob = report.routes.some((r) => r.job === job && r.file === workflowFile);
    if (runnerRowMatters(facts, runtime.findings, claudeJob)) report.routes.unshift(runtime.row);
    const reported = runtime.findings.filter((f) => policy.rules[f.rule] !== 'off');
    const least = settings.minConfidence;
    report.findings.push(...reported.filter((f) => sureEnough(f.confidence, least)));
    // The runner's findings the filter leaves out are counted with the scan's, never dropped unsaid.
    const hidden = reported.filter((f) => !sureEnough(f.confidence, least));
    if (hidden.length > 0) report.hidden = withHidden(report.hidden, least, hidden);
  }
  return { ...scanned, failOn: settings.failOn ?? policy.failOn ?? 'error' };
}

/**
 * Annotations through the check run or within GitHub's caps (annotations.ts), then the notices that go
 * with them; returns the notes the summary repeats. Notice slots are kept for those notices, or GitHub's
 * cap would drop them.
 */
async function annotations(
  outcome: Outcome,
  sarif: SarifOutput | undefined,
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const { report, failOn, exceptions } = outcome;
  const unresolved = report.unresolved.length;
  const annotated = await annotateFindings(settings, env, {
    report,
    failOn,
    base: linkBase(env),
    ...(exceptions ? { exceptions } : {}),
    reserved:
      (unresolved > 0 ? 1 : 0) + (sarif?.left ? 1 : 0) + exceptionNoticeSlots(outcome.exceptionNotices),
  });
  const notes = annotated.warning ? [annotated.warning] : [];
  emitExceptionNotices(outcome.exceptionNotices);
  if (unresolved > 0) {
    // One notice for all of them: annotation slots go to route findings first.
    core.notice(
      `${unresolved} reference(s) could not be followed, so the Claude runs behind them are not checked; the job summary lists them.`,
      { title: 'claude-route-guard: not followed' },
    );
  }
  if (annotated.note) {
    core.notice(annotated.note);
    notes.push(annotated.note);
  }
  return notes;
}

/** The SARIF file, written only inside the workspace or RUNNER_TEMP; a refusal fails the step. */
function writeSarif(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
  sarif: SarifOutput,
  notes: string[],
): { path?: string; refused?: string } {
  // The workspace is the pull request's tree: a committed link must not redirect the write.
  const written = writeInside(
    [settings.workspace, env.RUNNER_TEMP || tmpdir()],
    settings.sarifFile!,
    sarif.text,
  );
  if (!('written' in written)) {
    const refused = `The SARIF file ${settings.sarifFile} was not written: ${written.refused}. It must be a new or regular file inside the workspace or RUNNER_TEMP, reached without symbolic links.`;
    notes.push(refused);
    return { refused };
  }
  if (sarif.left) {
    const cut = `The SARIF file: ${sarif.left.note}`;
    core.notice(cut, { title: 'claude-route-guard: SARIF cut' });
    notes.push(cut);
  }
  return { path: written.written };
}

/** Emit: every channel in turn, the log, annotations, SARIF, the PR comment, the summary, the outputs. */
async function emit(outcome: Outcome, settings: ActionSettings, env: NodeJS.ProcessEnv): Promise<void> {
  const { report, exceptions, failOn } = outcome;
  for (const p of outcome.problems) core.info(logText(`claude-route-guard: ${p.file}: ${p.message}`));
  const sarif = settings.sarifFile ? sarifOutput(report, VERSION) : undefined;
  const notes = await annotations(outcome, sarif, settings, env);
  const written = sarif ? writeSarif(settings, env, sarif, notes) : {};
  const base = linkBase(env);
  if (settings.comment) {
    const limit = COMMENT_LIMIT - COMMENT_MARKER.length - 200;
    const warning = await postComment(settings, formatSummary(report, base, [], limit, exceptions), env);
    if (warning) {
      core.warning(warning);
      notes.push(warning);
    }
  }
  const summary = formatSummary(report, base, notes, undefined, exceptions);
  if (env.GITHUB_STEP_SUMMARY) core.appendSummary(env.GITHUB_STEP_SUMMARY, summary);
  else for (const line of summary.split('\n')) core.info(logText(line));
  writeOutputs(report, written.path);
  if (written.refused) core.setFailed(written.refused);
  else if (failsOn(report.findings, failOn)) {
    const c = countBySeverity(report.findings);
    core.setFailed(
      `claude-route-guard found ${c.error} error(s), ${c.warning} warning(s) and ${c.notice} notice(s)${hiddenWords(report)}; fail-on is ${failOn}.`,
    );
  }
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // The organisation inventory is a mode of its own, loaded only when asked for.
  if (core.getInput('organization') || core.getInput('merge'))
    return (await import('./inventory/action.js')).runInventoryAction(env);
  // With execution-file set, this step proves what a run used from its log, and reports only that.
  if (core.getInput('execution-file') !== '')
    return (await import('./runlog/action.js')).verifyRunAction(env);
  try {
    const settings = readActionSettings(env);
    await emit(await compute(settings, env), settings, env);
  } catch (error) {
    if (error instanceof PolicyError) {
      for (const problem of error.problems)
        core.error(problem.message, {
          title: 'claude-route-guard: policy',
          file: error.file,
          startLine: problem.span.line,
          startColumn: problem.span.column,
        });
    }
    const known = error instanceof UsageError || error instanceof PolicyError;
    core.setFailed(known ? (error as Error).message : `claude-route-guard: ${(error as Error).message}`);
  }
}
