import type { ResolvedRoute } from '../claude/precedence.js';
import type { Route } from '../claude/routes.js';
import type { KeyCheck } from '../runtime/key-check.js';
import type { RunnerOrigin, RuntimeFacts } from '../runtime/facts.js';
import type { Severity, Span } from '../types.js';
import type { RuleTraits } from './rule.js';

/** What a runtime rule sees: the runner's facts and route, and what the workflow declares for this job. */
export interface RuntimeContext {
  facts: RuntimeFacts;
  route: ResolvedRoute<RunnerOrigin>;
  declared?: { job: string; route: Route };
  keyCheck?: KeyCheck;
  expectedOrganization?: string;
}

export interface RuntimeDraft {
  message: string;
  severity?: Severity;
}

export interface RuntimeRule extends RuleTraits {
  check(ctx: RuntimeContext): RuntimeDraft[];
}

/** Where runtime findings are placed: the job in the workflow that runs this step, when it is known. */
export interface RuntimePlace {
  file: string;
  span: Span;
}
