import { CONFIDENCE_RANK, type Confidence, type Severity } from '../types.js';
import type { Draft, RoutedInvocation, RuleTraits } from './rule.js';

/*
 * An error needs a fact: how sure a finding is decides whether it may fail a build. The rule says what its
 * findings rest on (its `confidence` trait); the runs a finding is about say how sure their routes are.
 */

/** The surer of the two. */
export function higherOf(a: Confidence, b: Confidence): Confidence {
  return CONFIDENCE_RANK[a] >= CONFIDENCE_RANK[b] ? a : b;
}

/**
 * How sure a run's route is: high when the files decide it (for each combination of a matrix they list
 * whole, too: each job it makes has a route they decide); medium when run time or a caller decides it,
 * or when the program is a look-alike whose inside is known only by its name; low when the run is a
 * program nobody read (an opaque consumer: that a credential reaches it is a fact, that it starts Claude
 * Code is not).
 */
export function runConfidence(inv: RoutedInvocation): Confidence {
  if (inv.kind === 'opaque' || inv.opaque !== undefined) return 'low';
  if (inv.kind === 'lookalike') return 'medium';
  return inv.route.certainty === 'known' || inv.route.perCombination ? 'high' : 'medium';
}

/** What a run's route rests on when the files do not decide it, in words for a message. */
function runRestsOn(inv: RoutedInvocation): string | undefined {
  if (inv.opaque !== undefined) return inv.opaque;
  if (inv.kind === 'lookalike')
    return `\`${inv.label}\` is not Anthropic's, and what it does with the credential is judged from its name`;
  return inv.route.certainty === 'known' || inv.route.perCombination
    ? undefined
    : (inv.route.reason ?? undefined);
}

export interface Sureness {
  confidence: Confidence;
  /** What a finding that is not sure rests on, for its message. */
  restsOn?: string;
}

/**
 * A draft's confidence: the rule's basis, for a route rule as sure as the surest run the draft is about
 * (one run the files decide is enough), lowered by the draft's own when it gives one.
 */
export function draftConfidence(rule: RuleTraits, draft: Draft): Sureness {
  const runs = [...(draft.invocation ? [draft.invocation] : []), ...(draft.concerns ?? [])];
  let basis: Sureness = { confidence: 'high' };
  if (rule.confidence === 'name') basis = { confidence: 'medium' };
  else if (rule.confidence === 'route' && runs.length > 0) {
    const surest = runs.reduce((a, b) =>
      CONFIDENCE_RANK[runConfidence(b)] > CONFIDENCE_RANK[runConfidence(a)] ? b : a,
    );
    basis = { confidence: runConfidence(surest), restsOn: runRestsOn(surest) };
  }
  if (!draft.confidence || CONFIDENCE_RANK[draft.confidence] >= CONFIDENCE_RANK[basis.confidence])
    return basis;
  return draft.restsOn
    ? { confidence: draft.confidence, restsOn: draft.restsOn }
    : { confidence: draft.confidence };
}

/**
 * A finding's message, with what it rests on when that is not a fact the files decide; said once, so not
 * again when the message already gives that reason (a route decided at run time, say).
 */
export function withRestsOn(message: string, sureness: Sureness): string {
  if (sureness.confidence === 'high' || !sureness.restsOn || message.includes(sureness.restsOn))
    return message;
  return `${message} (Confidence ${sureness.confidence}: ${sureness.restsOn}.)`;
}

/** Severity capped by confidence: what is not sure is at most a warning, however the rule or policy rates it. */
export function cappedSeverity(severity: Severity, confidence: Confidence): Severity {
  return severity === 'error' && confidence !== 'high' ? 'warning' : severity;
}
