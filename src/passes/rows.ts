import type { RoutedInvocation } from '../rules/rule.js';
import { credentialPlace, isCommittedLogin } from '../rules/rule.js';
import type { CredentialRow, RouteRow } from '../types.js';
import { describeSource, type Binding } from '../workflow/values.js';

function credentialRow(b: Binding): CredentialRow {
  const stored = b.variable === 'stored-login';
  const place = credentialPlace(b);
  return {
    variable: stored
      ? isCommittedLogin(b)
        ? '$CLAUDE_CONFIG_DIR/.credentials.json'
        : '~/.claude/.credentials.json'
      : b.variable,
    level: b.level,
    source: stored
      ? isCommittedLogin(b)
        ? 'committed in the repository'
        : 'written by the workflow'
      : describeSource(b.value),
    file: place.file,
    line: place.span.line,
    column: place.span.column,
  };
}

/** A run as the report lists it, with the verdict still to give: `ok` until the verdict pass. */
export function routeRow(inv: RoutedInvocation, intended: string | undefined): RouteRow {
  return {
    file: inv.file,
    job: inv.job,
    step: inv.step,
    line: inv.span.line,
    column: inv.span.column,
    invocation: inv.kind,
    label: inv.label,
    route: inv.route.kind,
    credential: inv.route.winner ? credentialRow(inv.route.winner.origin) : null,
    shadowed: inv.route.shadowed.map((c) => ({ ...credentialRow(c.origin), route: c.kind })),
    endpoint: inv.route.endpoint,
    identity: inv.route.identity ?? null,
    certainty: inv.route.certainty,
    opaque: inv.opaque ?? null,
    outcomes: inv.route.outcomes,
    reason: inv.route.reason ?? (inv.notes.length > 0 ? inv.notes.join('; ') : null),
    headless: inv.headless,
    verdict: 'ok',
    intended: intended ?? null,
    via: inv.inner
      ? {
          file: inv.inner.file,
          line: inv.inner.span.line,
          column: inv.inner.span.column,
          label: inv.inner.label,
        }
      : null,
    hops: inv.hops.map((h) => ({ file: h.file, line: h.span.line, column: h.span.column, label: h.label })),
    callers: [],
  };
}
