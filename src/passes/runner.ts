import { IS_CREDENTIAL_VARIABLE } from '../claude/precedence.js';
import { isAnthropicHost } from '../claude/routes.js';
import { RUNTIME_RULES } from '../rules/index.js';
import type { RuntimeContext, RuntimePlace } from '../rules/runtime-rule.js';
import { SEVERITY_RANK, type Finding, type RouteRow } from '../types.js';
import { runnerRoute, type RuntimeFacts } from '../runtime/facts.js';

export interface RuntimeInput extends Omit<RuntimeContext, 'route'> {
  /** Where findings are placed (the job in the workflow file); none outside Actions. */
  place?: RuntimePlace;
}

const NOWHERE = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function endpoint(facts: RuntimeFacts): string | null {
  const host = facts.variables.find((v) => v.name === 'ANTHROPIC_BASE_URL')?.shown;
  return host && !isAnthropicHost(host) ? host : null;
}

/**
 * Whether the "this runner" row tells a reader anything: a credential, stored login or active profile is on the runner,
 * a runtime rule fired, or the job running this check is itself a Claude job (then "nothing here" matters).
 */
export function runnerRowMatters(facts: RuntimeFacts, findings: Finding[], claudeJob: boolean): boolean {
  const credential = facts.variables.some(
    (v) =>
      (IS_CREDENTIAL_VARIABLE.has(v.name) && v.shape !== 'unset' && v.shape !== 'empty') || v.switch === 'on',
  );
  const settings = facts.settings.some((s) => s.env.length > 0 || s.apiKeyHelper);
  const login = facts.storedLogins.length > 0 || facts.anthropic.profiles.some((p) => p.active);
  return claudeJob || credential || settings || login || findings.length > 0;
}

/** The "this runner" row and the runtime findings: a pure function of what the probe saw. */
export function analyseRuntime(input: RuntimeInput): { row: RouteRow; findings: Finding[] } {
  const route = runnerRoute(input.facts);
  const ctx: RuntimeContext = { ...input, route };
  const findings: Finding[] = RUNTIME_RULES.flatMap((rule) =>
    rule.check(ctx).map((d) => ({
      rule: rule.id,
      severity: d.severity ?? rule.severity,
      // What the probe saw on the runner is a fact.
      confidence: 'high' as const,
      message: d.message,
      file: input.place?.file ?? '',
      span: input.place?.span ?? NOWHERE,
    })),
  );
  const worst = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])[0];
  const runner = input.facts.runner;
  const notes: string[] = [];
  if (route.reason) notes.push(route.reason);
  if (input.keyCheck?.result === 'valid') {
    notes.push(
      `the key is valid${input.keyCheck.organization ? ` and bills organisation ${input.keyCheck.organization}` : ''}`,
    );
  }
  const bare = !route.winner && input.facts.storedLogins.length === 0;
  if (bare) notes.push('no Claude credential on this runner');
  for (const place of input.facts.unchecked) notes.push(`not checked: ${place}`);
  const row: RouteRow = {
    file: '(runner)',
    job: runner.job ?? '',
    step: null,
    line: 0,
    column: 0,
    invocation: 'runner',
    label: `this runner (${runner.environment}, ${runner.os})`,
    // With nothing on the runner there is no route to name: saying one would contradict the reason.
    route: bare ? 'unknown' : route.kind,
    credential: route.winner
      ? {
          variable: route.winner.origin.variable,
          level: 'runner',
          source: route.winner.origin.source,
          file: '',
          line: 0,
          column: 0,
        }
      : null,
    shadowed: route.shadowed.map((c) => ({
      variable: c.origin.variable,
      level: 'runner',
      source: c.origin.source,
      file: '',
      line: 0,
      column: 0,
      route: c.kind,
    })),
    endpoint: endpoint(input.facts),
    identity: null,
    certainty: bare ? 'unknown' : route.certainty,
    opaque: null,
    outcomes: bare ? ['unknown'] : route.outcomes,
    reason: notes.length > 0 ? notes.join('; ') : null,
    headless: false,
    verdict: worst ? `${worst.severity}: ${worst.rule}` : bare ? 'none' : 'ok',
    intended: null,
    via: null,
    hops: [],
    callers: [],
  };
  return { row, findings };
}
