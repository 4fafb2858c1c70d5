import { findInvocations, type AnalysisProblem, type Repo } from './claude/invocations.js';
import { routeOf } from './claude/routes.js';
import { describeSource, type Binding } from './claude/values.js';
import { ENGINE_RULES, RULES } from './rules/index.js';
import type { RoutedInvocation } from './rules/rule.js';
import { SEVERITY_RANK, type Finding, type RouteKind, type Severity } from './types.js';
import { parseFile } from './workflow/model.js';

export interface SourceInput {
  /** The path reports use: relative to the current directory. */
  file: string;
  text: string;
  /** Named by the user (a file that is not a workflow is then an error, not a skip). */
  explicit: boolean;
  /** The repository the file belongs to, for local `uses: ./...` and `.claude/settings.json`. */
  repo: Repo;
  /** Set, in bytes, when the file was over the size limit and not read. */
  tooLarge?: number;
}

export interface CredentialRow {
  variable: string;
  level: string;
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
  certainty: 'known' | 'unknown';
  reason: string | null;
  headless: boolean;
  verdict: string;
  /** The Claude run inside a local wrapper. */
  via: { file: string; line: number; column: number; label: string } | null;
}

export interface Report {
  version: 1;
  routes: RouteRow[];
  findings: Finding[];
  skipped: { file: string; reason: string }[];
  files: number;
}

export interface Policy {
  /** Severity per rule id, or `off`. */
  rules: Record<string, Severity | 'off'>;
}

export const DEFAULT_POLICY: Policy = { rules: {} };

function credentialRow(b: Binding): CredentialRow {
  const stored = b.variable === 'stored-login';
  const span = stored ? b.keySpan : b.value.presence === 'empty' ? b.keySpan : b.value.span;
  return {
    variable: stored ? '~/.claude/.credentials.json' : b.variable,
    level: b.level,
    source: stored ? 'written by the workflow' : describeSource(b.value),
    file: b.value.file === b.file ? b.file : b.value.file,
    line: span.line,
    column: span.column,
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.span.line - b.span.line ||
    a.span.column - b.span.column ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}

/** The engine: workflow files in, routes and findings out. Pure but for what `repo` reads. */
export function scan(inputs: Iterable<SourceInput>, policy: Policy = DEFAULT_POLICY): Report {
  const report: Report = { version: 1, routes: [], findings: [], skipped: [], files: 0 };
  const severityOf = (rule: string, fallback: Severity): Severity | 'off' => policy.rules[rule] ?? fallback;
  const push = (
    rule: string,
    fallback: Severity,
    draft: Omit<Finding, 'rule' | 'severity'>,
  ): Finding | undefined => {
    const severity = severityOf(rule, fallback);
    if (severity === 'off') return undefined;
    const finding: Finding = { rule, severity, file: draft.file, span: draft.span, message: draft.message };
    if (draft.related) finding.related = draft.related;
    report.findings.push(finding);
    return finding;
  };

  for (const input of inputs) {
    report.files++;
    if (input.tooLarge !== undefined) {
      push('parse-error', 'error', {
        file: input.file,
        span: { line: 1, column: 1, endLine: 1, endColumn: 1 },
        message: `This file is ${input.tooLarge} bytes, over the size limit, so it was not read. Raise max-file-size if it really is a workflow.`,
      });
      continue;
    }
    const parsed = parseFile(input.file, input.text);
    if (parsed.kind === 'error') {
      push('parse-error', 'error', {
        file: input.file,
        span: parsed.span,
        message: `${parsed.message}. Fix the YAML; GitHub will reject this file too.`,
      });
      continue;
    }
    if (parsed.kind === 'other') {
      if (input.explicit) {
        push('parse-error', 'error', {
          file: input.file,
          span: parsed.source.span(0, 0),
          message: `This file is ${parsed.reason}, so there is nothing to check. Name a workflow (.github/workflows/*.yml) or an action.yml.`,
        });
      } else report.skipped.push({ file: input.file, reason: parsed.reason });
      continue;
    }
    const problems: AnalysisProblem[] = [];
    const invocations: RoutedInvocation[] = findInvocations(parsed, input.repo, problems).map((inv) => ({
      ...inv,
      route: routeOf(inv),
    }));
    const verdicts = new Map<RoutedInvocation, Finding[]>();
    for (const rule of RULES) {
      for (const draft of rule.check({ doc: parsed, invocations })) {
        const finding = push(rule.id, draft.severity ?? rule.severity, draft);
        if (finding && draft.invocation)
          verdicts.set(draft.invocation, [...(verdicts.get(draft.invocation) ?? []), finding]);
      }
    }
    for (const problem of problems) {
      push('unresolved-reference', ENGINE_RULES['unresolved-reference']!.severity, {
        file: problem.file,
        span: problem.span,
        message: problem.message,
      });
    }
    for (const inv of invocations) {
      const found = (verdicts.get(inv) ?? []).sort(
        (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
      );
      const worst = found[0];
      report.routes.push({
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
        certainty: inv.route.certainty,
        reason: inv.route.reason ?? (inv.notes.length > 0 ? inv.notes.join('; ') : null),
        headless: inv.headless,
        verdict: worst ? `${worst.severity}: ${worst.rule}` : 'ok',
        via: inv.inner
          ? {
              file: inv.inner.file,
              line: inv.inner.span.line,
              column: inv.inner.span.column,
              label: inv.inner.label,
            }
          : null,
      });
    }
  }
  report.findings.sort(compareFindings);
  return report;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export type FailOn = Severity | 'never';

export function failsOn(findings: Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}
