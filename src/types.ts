/** A region of a file as a person reads it: 1-based line and column; the end column is exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'notice';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

/** Whether a value is there when Claude Code starts: `maybe` when only run time knows. */
export type Presence = 'set' | 'empty' | 'maybe';

export type RouteKind =
  | 'api-key'
  | 'workload-identity'
  | 'bedrock'
  | 'vertex'
  | 'foundry'
  | 'gateway-token'
  | 'api-key-helper'
  | 'subscription-oauth-token'
  | 'console-login'
  | 'subscription-login'
  | 'unknown';

/** Where a credential was set, from the widest scope to the narrowest. */
export type Level =
  | 'workflow'
  | 'job'
  | 'container'
  | 'github-env'
  | 'step'
  | 'script'
  | 'action-input'
  | 'settings-file'
  | 'credentials-file'
  | 'reusable-workflow'
  | 'composite-input'
  | 'runner';

export interface Location {
  file: string;
  span: Span;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  /** Other places that explain the finding (the winning credential, the shadowed one). */
  related?: { file: string; span: Span; label: string }[];
}
