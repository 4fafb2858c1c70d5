/** A region of a file as a person reads it: 1-based line and column; the end column is exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * The vocabularies every stage shares, each declared once as an array its type derives from: a member added
 * here is a compile error wherever a table must name it, and __tests__/vocabulary.test.ts holds the JSON
 * schema and docs/json.md to the same lists.
 */

export const SEVERITIES = ['error', 'warning', 'notice'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

/**
 * How sure a finding is, apart from how much it matters: `high` when the files decide it (a route they fix,
 * a literal key), `medium` when it is judged (from a name, a wrapper read without its caller, a route run
 * time decides), `low` when it rests on a program nobody read. Only a `high` finding can fail a build.
 */
export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const CONFIDENCE_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** Whether a finding this sure is reported under `--min-confidence` / input `min-confidence` of `least`. */
export function sureEnough(confidence: Confidence, least: Confidence): boolean {
  return CONFIDENCE_RANK[confidence] >= CONFIDENCE_RANK[least];
}

/** Whether a value is there when Claude Code starts: `maybe` when only run time knows. */
export type Presence = 'set' | 'empty' | 'maybe';

/** Who bills a run. */
export const ROUTE_KINDS = [
  'api-key',
  'workload-identity',
  'bedrock',
  'vertex',
  'foundry',
  'gateway-token',
  'api-key-helper',
  'subscription-oauth-token',
  'console-login',
  'subscription-login',
  'unknown',
] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** Where a credential was set, from the widest scope to the narrowest. */
export const LEVELS = [
  'workflow',
  'job',
  'container',
  'service',
  'github-env',
  'step',
  'script',
  'action-input',
  'settings-file',
  'credentials-file',
  'reusable-workflow',
  'composite-input',
  'runner',
] as const;
export type Level = (typeof LEVELS)[number];

/** Where a credential at each level is set, as a message says it: "set in the step's env". */
export const LEVEL_PLACES: Record<Level, string> = {
  workflow: "the workflow's env",
  job: "the job's env",
  container: "the job container's env",
  service: "a service container's env",
  'github-env': '$GITHUB_ENV, by an earlier step',
  step: "the step's env",
  script: "the step's script",
  'action-input': 'an action input',
  'settings-file': "a settings file's env",
  'credentials-file': 'a credentials file',
  'reusable-workflow': 'the secrets its caller passes',
  'composite-input': "a composite action's input",
  runner: "the runner's environment",
};

/** known: decided by the files; inferred: from what reaches a process not seen into; unknown: run time decides. */
export const CERTAINTIES = ['known', 'inferred', 'unknown'] as const;
export type Certainty = (typeof CERTAINTIES)[number];

/** How Claude runs, as a route row names it. */
export const INVOCATION_KINDS = [
  'claude-code-action',
  'claude-code-base-action',
  'claude-code-security-review',
  'cli',
  'agent-sdk',
  'reusable-workflow',
  'composite-action',
  'lookalike',
  'opaque',
] as const;
export type InvocationKind = (typeof INVOCATION_KINDS)[number];

export interface Location {
  file: string;
  span: Span;
}

export interface Finding {
  rule: string;
  severity: Severity;
  confidence: Confidence;
  message: string;
  file: string;
  span: Span;
  /** Other places that explain the finding (the winning credential, the shadowed one). */
  related?: { file: string; span: Span; label: string }[];
  /** The job the finding belongs to (passes/finding-jobs.ts), when it belongs to one. */
  job?: string;
  /** With `job`: the step that holds the finding or whose run it is about, else null. */
  step?: string | null;
  /** With `job`, when the job is in another file than the finding (a caller of a composite or callee). */
  jobFile?: string;
}

/** The report every channel prints: `docs/json.md` is its contract, `schema/report-v1.json` its schema. */

export interface CredentialRow {
  variable: string;
  level: Level;
  source: string;
  file: string;
  line: number;
  column: number;
}

export interface RouteRow {
  file: string;
  job: string;
  step: string | null;
  line: number;
  column: number;
  invocation: string;
  label: string;
  route: RouteKind;
  credential: CredentialRow | null;
  shadowed: (CredentialRow & { route: RouteKind })[];
  endpoint: string | null;
  /**
   * For a cloud route: the login step or credential variable that says whose account pays, if the job has
   * one. Shown in the text and the summary; not a field of version 1 of the JSON (see report/json.ts).
   */
  identity: { label: string; file: string; line: number; column: number } | null;
  certainty: Certainty;
  reason: string | null;
  /** For an inferred row: what was not seen (a remote action, a script the engine cannot read). */
  opaque: string | null;
  /** Every route the run can take; more than one only when run time decides. */
  outcomes: RouteKind[];
  headless: boolean;
  /** The most severe finding that concerns the run, then `intended: reason` when the policy allows it. */
  verdict: string;
  /** The reason of the policy entry that declares this route intended. */
  intended: string | null;
  /** The Claude run inside a local wrapper. */
  via: { file: string; line: number; column: number; label: string } | null;
  /** Every hop from this row's position to the run, outermost first; empty for a run written here. */
  hops: { file: string; line: number; column: number; label: string }[];
  /**
   * For a callee's run (in a reusable workflow or a local action): the jobs in the scan that reach it with
   * this row's route, each at its own row's place; empty for a row that is no callee's or that no job reaches.
   */
  callers: { file: string; line: number; job: string }[];
}

export interface Report {
  version: 1;
  routes: RouteRow[];
  findings: Finding[];
  skipped: { file: string; reason: string }[];
  /** Local `uses: ./...` targets that are not in the repository, so their Claude runs are not checked. */
  unresolved: {
    file: string;
    line: number;
    column: number;
    message: string;
    /** A reusable workflow of another repository, not read: not in the JSON contract (version 1). */
    remoteUnread?: true;
  }[];
  files: number;
  /** Of `files`, those whose raw text proved they cannot involve Claude: not parsed, so not checked as YAML. */
  notParsed: number;
  /** Under a confidence filter above `low`: the findings it left out, counted, so none vanishes unsaid. */
  hidden?: HiddenFindings;
}

/** What `--min-confidence` / input `min-confidence` left out of a report: how many findings, how sure. */
export interface HiddenFindings {
  minConfidence: Confidence;
  findings: number;
  /** Per confidence below `minConfidence`, in CONFIDENCES order. */
  byConfidence: Partial<Record<Confidence, number>>;
}
