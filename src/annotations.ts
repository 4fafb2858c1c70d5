/**
 * Where the action's findings become annotations (I/O at the edge, beside main.ts): one check run that
 * holds them all, or workflow commands within GitHub's caps, and workflow commands for whatever the check
 * run did not take. The step passes or fails by fail-on either way; main.ts decides that.
 */
import * as core from './runner.js';
import type { ActionSettings } from './action-settings.js';
import { pullRequestOf } from './policy/base.js';
import type { FailOn } from './policy/fail-on.js';
import {
  annotatable,
  CHECK_RUN_NAME,
  CHECK_RUN_SUMMARY_LIMIT,
  checkRunConclusion,
  checkRunTitle,
  publishCheckRun,
  type CheckRunPlan,
} from './report/check-run.js';
import { logText } from './report/escape.js';
import { rankFindings, selectAnnotations } from './report/github.js';
import { runPlaces } from './report/run-places.js';
import { formatSummary, type Exceptions, type LinkBase } from './report/summary.js';
import type { Report } from './scan.js';
import type { Finding } from './types.js';

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

/**
 * Annotates what fits GitHub's caps, ranked; returns the note that counts the rest, if any. `reserved`
 * notice slots and `reservedWarnings` warning slots are kept for notes the caller adds.
 */
function annotateAll(findings: Finding[], reserved = 0, reservedWarnings = 0): string | undefined {
  const { shown, note } = selectAnnotations(findings, reserved, reservedWarnings);
  for (const f of shown) annotate(f);
  return note;
}

/** What the findings of one run need to become annotations. */
export interface AnnotationRun {
  report: Report;
  failOn: FailOn;
  /** Links in the check run's summary. */
  base: LinkBase;
  exceptions?: Exceptions;
  /** Notice slots the caller keeps for its own notes. */
  reserved: number;
}

/** A check run's name and content, whichever step makes it: the scan, or the proof after a run. */
export interface AnnotationChannel {
  name: string;
  findings: Finding[];
  conclusion: CheckRunPlan['conclusion'];
  title: string;
  /** Markdown within CHECK_RUN_SUMMARY_LIMIT, made only when a check run is tried. */
  summary: () => string;
  /** Notice slots the caller keeps for its own notes. */
  reserved: number;
}

export interface Annotated {
  /** The notice that counts what GitHub's caps left out, already annotated, for the summary too. */
  note?: string;
  /** Why the check run does not hold every finding, already printed as the one warning, for the summary too. */
  warning?: string;
}

/** The commit and repository a check run goes on, or why there is none. */
function checkRunTarget(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
): Pick<CheckRunPlan, 'owner' | 'repo' | 'headSha'> | string {
  if (!settings.githubToken) return 'the github-token input is empty';
  const [owner, repo] = settings.repository?.split('/') ?? [];
  if (!owner || !repo) return 'GITHUB_REPOSITORY does not name a repository';
  // On a pull request GITHUB_SHA is the merge commit; the pull request's Files view shows its head.
  const headSha = pullRequestOf(env.GITHUB_EVENT_PATH).head ?? env.GITHUB_SHA;
  if (!headSha) return 'neither the event nor GITHUB_SHA names a commit';
  return { owner, repo, headSha };
}

/** The scan's findings on the channel the `annotations` input picks, in the check run CHECK_RUN_NAME. */
export async function annotateFindings(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
  run: AnnotationRun,
): Promise<Annotated> {
  const { report } = run;
  const runs = runPlaces(report.routes);
  return annotateOn(settings, env, {
    name: CHECK_RUN_NAME,
    findings: report.findings,
    conclusion: checkRunConclusion(report.findings, run.failOn),
    title: checkRunTitle(report.findings, runs, report.hidden),
    // capBytes adds its closing note after the cut: room is kept for it.
    summary: () => formatSummary(report, run.base, [], CHECK_RUN_SUMMARY_LIMIT - 1024, run.exceptions),
    reserved: run.reserved,
  });
}

/**
 * Annotates findings on the channel the `annotations` input picks. `auto` tries the check run
 * whenever there is a token, with no probing request first, and falls back on the answer; `check-run`
 * also says why when there is no token. Whatever the check run did not take goes out as workflow
 * commands, after one warning that says why, so nothing is lost.
 */
export async function annotateOn(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
  channel: AnnotationChannel,
): Promise<Annotated> {
  const { name, findings, reserved } = channel;
  const target = settings.annotations === 'commands' ? undefined : checkRunTarget(settings, env);
  if (typeof target !== 'object') {
    core.setOutput('check-run-url', '');
    const warning =
      settings.annotations === 'check-run'
        ? `The check run was not created: ${target}. The findings are annotated with workflow commands instead.`
        : undefined;
    if (warning) core.warning(warning);
    return done(annotateAll(findings, reserved, warning ? 1 : 0), warning);
  }
  const carried = rankFindings(findings).filter(annotatable);
  const result = await publishCheckRun(
    {
      ...target,
      name,
      conclusion: channel.conclusion,
      output: { title: channel.title, summary: channel.summary() },
      findings: carried,
    },
    {
      token: settings.githubToken,
      apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
      timeoutMs: settings.apiTimeoutMs,
      retryDelayMs: 1000,
    },
  );
  core.setOutput('check-run-url', result.url ?? '');
  const unsent = [...findings.filter((f) => !annotatable(f)), ...carried.slice(result.sent)];
  let warning: string | undefined;
  if (result.failure) {
    const left = carried.length - result.sent;
    warning = !result.created
      ? `The check run was not created: ${result.failure}. The findings are annotated with workflow commands instead.`
      : `The check run ${name} holds ${result.sent} of ${carried.length} annotation(s): ${result.failure}. The other ${left} are annotated with workflow commands instead.`;
    // Before the commands, which keep a warning slot for it, so GitHub's cap cannot drop it.
    core.warning(warning);
  } else {
    // The address is the API's answer: printed as text, never as a command.
    core.info(
      logText(
        `The check run ${name} holds all ${carried.length} annotation(s)${result.url ? `: ${result.url}` : '.'}`,
      ),
    );
  }
  return done(annotateAll(unsent, reserved, warning ? 1 : 0), warning);
}

function done(note: string | undefined, warning: string | undefined): Annotated {
  return { ...(note ? { note } : {}), ...(warning ? { warning } : {}) };
}
