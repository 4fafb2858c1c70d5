import type { Invocation } from '../claude/invocations.js';
import type { Binding } from '../workflow/values.js';
import type { Route } from '../claude/routes.js';
import type { Confidence, Finding, Location, Severity } from '../types.js';
import type { ActionMetadata, Job, Step, Workflow } from '../workflow/model.js';

export interface RoutedInvocation extends Invocation {
  route: Route;
}

/** What a rule sees: one file, its Claude runs and their routes. */
export interface FileContext {
  doc: Workflow | ActionMetadata;
  invocations: RoutedInvocation[];
}

/** A finding before policy: the rule's default severity is filled in by the registry. */
export type Draft = Omit<Finding, 'rule' | 'severity' | 'confidence'> & {
  severity?: Severity;
  /** Lower than the rule's basis gives, for a draft judged on less (a secret's name, say). */
  confidence?: Confidence;
  /** What a draft that lowers its `confidence` rests on, for its message. */
  restsOn?: string;
  invocation?: RoutedInvocation;
  /** Other runs the finding is about as much as `invocation`'s: their verdicts count it too. */
  concerns?: RoutedInvocation[];
};

/**
 * What every rule says about itself, whoever runs it (the static engine, the runtime probe, the engine's own
 * checks): the catalogue, the policy, the verdicts and the annotations read these and keep no lists of ids.
 */
export interface RuleTraits {
  id: string;
  severity: Severity;
  /** One line: what it catches. */
  summary: string;
  /** It judges the route itself: a policy `allow` that declares a run's route intended silences it for that run. */
  silencedByAllow: boolean;
  /**
   * Where its annotations rank within a severity: `file` (a file that cannot be read, an ignore comment)
   * after `route`, so ten broken decoys cannot take the slots of one real finding.
   */
  annotation: 'route' | 'file';
  /**
   * Which runs a finding concerns when no rule tied it to one: those whose own lines hold it, every run of
   * its job (a sign-in leaves a login for the job's later runs), or none (it is about an ignore comment).
   */
  reach: 'own-lines' | 'job' | 'none';
  /** What its findings' confidence rests on: see CONFIDENCE_BASES. */
  confidence: ConfidenceBasis;
}

/**
 * What a rule's findings rest on, which decides their confidence: `fact`, the files' own text (a literal
 * key, a key echoed to a log, a file that cannot be read) or what the runner shows: high; `route`, the route of the runs
 * the finding concerns: as sure as the surest of them (see runConfidence); `name`, a judgement from a
 * name (a look-alike package or action): medium at most. A draft may lower it further, never raise it.
 */
export const CONFIDENCE_BASES = ['fact', 'route', 'name'] as const;
export type ConfidenceBasis = (typeof CONFIDENCE_BASES)[number];

export interface Rule extends RuleTraits {
  check(ctx: FileContext): Draft[];
  /**
   * For a run that only starts when called (a reusable workflow or composite read on its own): what of a
   * caller's run makes this rule's finding on it moot. When every caller in the scan has it, the finding
   * on the run read alone is dropped; one caller without it, or no caller seen, keeps it.
   */
  settledByCaller?: (caller: RoutedInvocation) => boolean;
}

/** Whether a file's runs start only from a caller; read alone, their routes are what a caller would give. */
export function runsOnlyWhenCalled(doc: Workflow | ActionMetadata): boolean {
  return (
    doc.kind === 'action' ||
    (doc.triggers.length > 0 && doc.triggers.every((t) => t.name === 'workflow_call'))
  );
}

export const DOCS_BASE = 'https://github.com/claude-route-guard/claude-route-guard/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

/** `Job \`review\`` or `The composite action`, to start a message. */
export function jobName(job: Invocation | string): string {
  const id = typeof job === 'string' ? job : job.job;
  return id === '(composite)' ? 'The composite action' : `Job \`${id}\``;
}

export interface StepInJob {
  file: string;
  job?: Job;
  jobId: string;
  step: Step;
}

/** Every step of the file: the jobs' steps of a workflow, or the steps of a composite action. */
export function stepsOf(doc: Workflow | ActionMetadata): StepInJob[] {
  if (doc.kind === 'action') return doc.steps.map((step) => ({ file: doc.file, jobId: '(composite)', step }));
  return doc.jobs.flatMap((job) => job.steps.map((step) => ({ file: doc.file, job, jobId: job.id, step })));
}

/**
 * Where a credential is written: the value when there is one (in the file that holds it, which for an
 * input or secret passed down is the caller), else the key that sets it.
 */
export function credentialPlace(b: Binding): Location {
  if (b.variable !== 'stored-login' && b.value.presence !== 'empty')
    return { file: b.value.file, span: b.value.span };
  return { file: b.file, span: b.keySpan };
}

/** A stored login as a message names it: committed in the repository (CLAUDE_CONFIG_DIR), or written by a step. */
export function storedLoginName(b: Binding): string {
  return isCommittedLogin(b)
    ? 'the login committed in the repository, in the .credentials.json of the folder CLAUDE_CONFIG_DIR names'
    : 'a written ~/.claude/.credentials.json';
}

/** A login file in the repository itself, which anyone who can read the repository holds. */
export function isCommittedLogin(b: Binding): boolean {
  return b.variable === 'stored-login' && b.value.form === 'literal';
}

/** The hop a credential took when a caller's value reached the run through a wrapper's input. */
export function credentialHops(b: Binding): NonNullable<Finding['related']> {
  const place = credentialPlace(b);
  if (place.file === b.file && place.span.line === b.keySpan.line) return [];
  return [{ file: b.file, span: b.keySpan, label: `passed on as ${b.variable}` }];
}
