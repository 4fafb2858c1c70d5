/**
 * The check run channel: every finding as one annotation of a check run named `claude-route-guard`, past
 * the caps GitHub puts on workflow commands. What the Checks API takes, as relied on here
 * (https://docs.github.com/en/rest/checks/runs):
 * - a check run is created on a commit (`POST /repos/{owner}/{repo}/check-runs`: name, head_sha, status,
 *   conclusion, output) and updated by id (`PATCH .../check-runs/{id}`); each update's annotations are
 *   appended to those the run already has, and its output needs the title and summary again;
 * - at most 50 annotations per request; each has path, start_line, end_line, annotation_level (notice,
 *   warning or failure) and message (at most 64 KB), a title of at most 255 characters, and start_column
 *   with end_column only when start_line equals end_line;
 * - output.summary is Markdown of at most 65,535 characters;
 * - only a GitHub App's token may write checks: the run's GITHUB_TOKEN is one, given `checks: write`.
 */
import type { Finding, HiddenFindings, Severity } from '../types.js';
import { countBySeverity } from '../scan.js';
import { failsOn, type FailOn } from '../policy/fail-on.js';
import { answeredStatus, describeApiError } from '../api-failure.js';
import { checkRunText } from './escape.js';

export const CHECK_RUN_NAME = 'claude-route-guard';
/** The check run of the action's proof after a run (`execution-file`), apart from the scan's. */
export const PROOF_CHECK_RUN_NAME = 'claude-route-guard / run';
export const ANNOTATIONS_PER_REQUEST = 50;
export const CHECK_RUN_SUMMARY_LIMIT = 65535;
export const ANNOTATION_MESSAGE_LIMIT = 64 * 1024;
export const ANNOTATION_TITLE_LIMIT = 255;

export type AnnotationLevel = 'failure' | 'warning' | 'notice';
const LEVELS: Record<Severity, AnnotationLevel> = { error: 'failure', warning: 'warning', notice: 'notice' };

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  message: string;
  title: string;
}

/**
 * Whether a check run can carry the finding: it needs a path in this repository. A finding about the
 * runner itself has no file, and a path that leaves the workspace names no file of the commit.
 */
export function annotatable(f: Finding): boolean {
  return f.file !== '' && !f.file.startsWith('/') && !/^\.\.(\/|$)/.test(f.file);
}

/**
 * The finding at its exact place; columns only where the span is on one line, as the API requires. The
 * numbers are those the workflow commands carry (`col`, `endColumn`), which the runner turns into the
 * same annotations of the job's own check run, so both channels mark the same text.
 */
export function checkRunAnnotation(f: Finding): CheckRunAnnotation {
  const oneLine = f.span.line === f.span.endLine;
  return {
    path: f.file,
    start_line: f.span.line,
    end_line: f.span.endLine,
    ...(oneLine ? { start_column: f.span.column, end_column: f.span.endColumn } : {}),
    annotation_level: LEVELS[f.severity],
    message: checkRunText(f.message, ANNOTATION_MESSAGE_LIMIT),
    title: checkRunText(`claude-route-guard: ${f.rule}`, ANNOTATION_TITLE_LIMIT),
  };
}

export type Conclusion = 'success' | 'neutral' | 'failure';

/** `failure` when the step fails by fail-on, `neutral` when findings stay below it, `success` with none. */
export function checkRunConclusion(findings: Finding[], failOn: FailOn): Conclusion {
  if (failsOn(findings, failOn)) return 'failure';
  return findings.length > 0 ? 'neutral' : 'success';
}

/**
 * One line: "2 errors, 5 warnings in 41 Claude Code runs", and "; 3 hidden below high confidence" under a
 * confidence filter, so a filtered check run never reads as a clean one.
 */
export function checkRunTitle(findings: Finding[], runs: number, hidden?: HiddenFindings): string {
  const counts = countBySeverity(findings);
  // The count's keys run from the most severe down.
  const parts = (Object.entries(counts) as [Severity, number][])
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity}${n === 1 ? '' : 's'}`);
  const found = parts.length > 0 ? parts.join(', ') : 'No findings';
  const unshown = hidden ? `; ${hidden.findings} hidden below ${hidden.minConfidence} confidence` : '';
  return `${found} in ${runs} Claude Code ${runs === 1 ? 'run' : 'runs'}${unshown}`;
}

export interface CheckRunPlan {
  /** CHECK_RUN_NAME for the scan, PROOF_CHECK_RUN_NAME for the proof after a run. */
  name: string;
  owner: string;
  repo: string;
  headSha: string;
  conclusion: Conclusion;
  output: { title: string; summary: string };
  /** In the order they are sent: what a failed request leaves unsent is the end of the list. */
  findings: Finding[];
}

export interface ApiConnection {
  token: string;
  apiUrl: string;
  timeoutMs: number;
  /** The pause before the one retry of a request GitHub answered with a 5xx. */
  retryDelayMs: number;
}

export interface CheckRunResult {
  /** Whether the check run exists: the create request succeeded. */
  created: boolean;
  /** How many of the plan's findings the check run holds: the first `sent`. */
  sent: number;
  /** The check run's page, once it exists. */
  url?: string;
  /** Why a request failed, in one line; the findings from `sent` on were not sent. */
  failure?: string;
}

/** Lists of at most 50, and one (empty) list when there is nothing to annotate: the create request. */
function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ANNOTATIONS_PER_REQUEST)
    out.push(items.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return out.length > 0 ? out : [[]];
}

type Output = CheckRunPlan['output'] & { annotations?: CheckRunAnnotation[] };

/** An address GitHub gave for the run's page, kept only when it is one plain http(s) URL. */
function pageUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\/[^\s"'<>`]+$/.test(value) ? value : undefined;
}

/**
 * One request, tried again once when GitHub answers 5xx, never on a 4xx (the same request would be
 * refused again) nor when no answer came (the timeout was already spent).
 */
async function withRetry<T>(request: () => Promise<T>, delayMs: number): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const status = answeredStatus(error);
    if (status === undefined || status < 500) throw error;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return request();
  }
}

function refusal(status: number): string {
  return `the token may not write checks here (HTTP ${status}; usual on pull requests from forks, with a personal access token, or without \`checks: write\`)`;
}

/**
 * Creates the completed check run with the first 50 annotations and appends the rest 50 at a time.
 * Octokit is loaded only here, so a run that makes no check run never pays for it. Never throws: a
 * failure is said in `failure`, with how far it got.
 */
export async function publishCheckRun(plan: CheckRunPlan, api: ApiConnection): Promise<CheckRunResult> {
  const result: CheckRunResult = { created: false, sent: 0 };
  try {
    const { getOctokit } = await import('@actions/github');
    const octokit = getOctokit(api.token, { baseUrl: api.apiUrl, request: { retries: 0 } });
    const { owner, repo } = plan;
    const [first = [], ...rest] = batches(plan.findings.map(checkRunAnnotation));
    const output = (annotations: CheckRunAnnotation[]): Output =>
      annotations.length > 0 ? { ...plan.output, annotations } : plan.output;
    const signal = (): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(api.timeoutMs) });
    const created = await withRetry(
      () =>
        octokit.rest.checks.create({
          owner,
          repo,
          name: plan.name,
          head_sha: plan.headSha,
          status: 'completed',
          conclusion: plan.conclusion,
          output: output(first),
          request: signal(),
        }),
      api.retryDelayMs,
    );
    result.created = true;
    result.sent = first.length;
    const url = pageUrl(created.data.html_url);
    if (url) result.url = url;
    for (const batch of rest) {
      await withRetry(
        () =>
          octokit.rest.checks.update({
            owner,
            repo,
            check_run_id: created.data.id,
            output: output(batch),
            request: signal(),
          }),
        api.retryDelayMs,
      );
      result.sent += batch.length;
    }
  } catch (error) {
    const again = (answeredStatus(error) ?? 0) >= 500 ? ', and again on the one retry' : '';
    result.failure = describeApiError(error, { timeoutMs: api.timeoutMs, url: api.apiUrl }, refusal) + again;
  }
  return result;
}
