import type { Invocation } from '../claude/invocations.js';
import type { Route } from '../claude/routes.js';
import type { Finding, Severity } from '../types.js';
import type { ActionMetadata, Workflow } from '../workflow/model.js';

export interface RoutedInvocation extends Invocation {
  route: Route;
}

/** What a rule sees: one file, its Claude runs and their routes. */
export interface FileContext {
  doc: Workflow | ActionMetadata;
  invocations: RoutedInvocation[];
}

/** A finding before policy: the rule's default severity is filled in by the registry. */
export type Draft = Omit<Finding, 'rule' | 'severity'> & {
  severity?: Severity;
  invocation?: RoutedInvocation;
};

export interface Rule {
  id: string;
  severity: Severity;
  /** One line: what it catches. */
  summary: string;
  check(ctx: FileContext): Draft[];
}

export const DOCS_BASE = 'https://github.com/claude-route-guard/claude-route-guard/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

/** `job \`review\`` or `the composite action` for messages. */
export function jobName(inv: Invocation): string {
  return inv.job === '(composite)' ? 'The composite action' : `Job \`${inv.job}\``;
}
