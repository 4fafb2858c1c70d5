import * as core from './runner.js';
import { parseSize, UsageError } from './load.js';
import { FAIL_ON_LEVELS, type FailOn } from './policy/fail-on.js';
import { CONFIDENCES, type Confidence } from './types.js';

/** Where findings become annotations: a check run when the token may make one, else workflow commands. */
export const ANNOTATION_CHANNELS = ['auto', 'commands', 'check-run'] as const;
export type AnnotationChannel = (typeof ANNOTATION_CHANNELS)[number];

export interface ActionSettings {
  paths: string[];
  config: string | undefined;
  /** Unset: the policy's fail-on, else error. */
  failOn: FailOn | undefined;
  /** Findings less sure than this are not reported, anywhere, and fail nothing. */
  minConfidence: Confidence;
  sarifFile: string | undefined;
  annotations: AnnotationChannel;
  comment: boolean;
  githubToken: string;
  apiTimeoutMs: number;
  runtimeCheck: boolean;
  verifyKey: boolean;
  expectedOrganization: string | undefined;
  maxFileSize: number | undefined;
  /** Apply the PR's own policy changes even where the base's workflow runs the guard. */
  trustPrPolicy: boolean;
  workspace: string;
  /** `owner/name` from GITHUB_REPOSITORY: references to this repository in remote form are read locally. */
  repository: string | undefined;
  /** Read remote actions and reusable workflows through the GitHub API of the run. */
  resolveRemote: boolean;
}

function booleanInput(name: string, fallback = false): boolean {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'false') return false;
  if (raw === 'true') return true;
  throw new UsageError(`input ${name} must be true or false, not "${core.getInput(name)}"`);
}

/** The action's inputs as one typed object; a bad input is a UsageError that names it. */
export function readActionSettings(env: NodeJS.ProcessEnv = process.env): ActionSettings {
  const paths = core
    .getInput('paths')
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const failOn = (core.getInput('fail-on') || undefined) as FailOn | undefined;
  if (failOn !== undefined && !FAIL_ON_LEVELS.includes(failOn)) {
    throw new UsageError(`input fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}, not "${failOn}"`);
  }
  const minConfidence = (core.getInput('min-confidence').trim() || 'low') as Confidence;
  if (!CONFIDENCES.includes(minConfidence)) {
    throw new UsageError(
      `input min-confidence must be one of ${CONFIDENCES.join(', ')}, not "${core.getInput('min-confidence')}"`,
    );
  }
  const timeout = Number(core.getInput('api-timeout') || '10');
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 120) {
    throw new UsageError(
      `input api-timeout must be a number of seconds from 1 to 120, not "${core.getInput('api-timeout')}"`,
    );
  }
  const annotations = (core.getInput('annotations') || 'auto') as AnnotationChannel;
  if (!ANNOTATION_CHANNELS.includes(annotations)) {
    throw new UsageError(
      `input annotations must be one of ${ANNOTATION_CHANNELS.join(', ')}, not "${core.getInput('annotations')}"`,
    );
  }
  const githubToken = core.getInput('github-token');
  if (githubToken) core.setSecret(githubToken);
  return {
    paths,
    config: core.getInput('config') || undefined,
    failOn,
    minConfidence,
    sarifFile: core.getInput('sarif-file') || undefined,
    annotations,
    comment: booleanInput('comment'),
    githubToken,
    apiTimeoutMs: timeout * 1000,
    runtimeCheck: booleanInput('runtime-check', env.GITHUB_ACTIONS === 'true'),
    resolveRemote: booleanInput('resolve-remote', true),
    verifyKey: booleanInput('verify-key'),
    expectedOrganization: core.getInput('expected-organization') || undefined,
    maxFileSize: parseSize(core.getInput('max-file-size'), 'input max-file-size'),
    trustPrPolicy: booleanInput('trust-pr-policy'),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    repository: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(env.GITHUB_REPOSITORY ?? '')
      ? env.GITHUB_REPOSITORY
      : undefined,
  };
}
