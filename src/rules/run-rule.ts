import type { Proof } from '../claude/proof.js';
import type { RunFacts } from '../runlog/runs.js';
import type { RouteKind, Severity } from '../types.js';
import type { RuleTraits } from './rule.js';

/** A run read from its own log, with the route the log proves. */
export interface ProvedRun extends RunFacts {
  proof: Proof;
}

/** The route the files (or the person running the check) declare for the Claude step a run belongs to. */
export interface DeclaredRoute {
  route: RouteKind;
  /** The variable of the credential that wins in the files (`ANTHROPIC_API_KEY`); none for --expect. */
  variable?: string;
  /** Who declares it, as a sentence starts: ``Job `review` declares``, `--expect gives`. */
  declaredBy: string;
}

/** What a run rule sees: one run and, when there is one, what was declared for it. */
export interface RunContext {
  run: ProvedRun;
  /** The log as the person named it: a path given to the CLI, or `execution file 2` in the action. */
  log: string;
  declared?: DeclaredRoute;
}

export interface RunDraft {
  message: string;
  severity?: Severity;
}

/** Rules about a run's own log, checked by `verify-run` and the action's `execution-file`. */
export interface RunRule extends RuleTraits {
  check(ctx: RunContext): RunDraft[];
}
