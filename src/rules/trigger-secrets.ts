import type { Trigger } from '../workflow/model.js';
import type { RoutedInvocation } from './rule.js';
import { conditionParts } from '../workflow/expression.js';

/** A condition on the head repository that keeps fork PRs out, so the secret is always there when it runs. */
export const HEAD_GUARD =
  /head\.repo\.full_name\s*==|==\s*github\.repository\b|head\.repo\.fork\s*==\s*false|!\s*github\.event\.pull_request\.head\.repo\.fork/;
/**
 * `github.event.workflow_run.pull_requests[0]` required to be there (as itself, `!= null`, or its
 * `.number`): GitHub leaves that list empty when the run came from a fork's pull request.
 */
const SAME_REPOSITORY_PR = /^github\.event\.workflow_run\.pull_requests\[0\](?:\.number)?(?:\s*!=\s*null)?$/;
/** Who started the run: a fork's author, whom a guard can require to be someone the repository trusts. */
const WHO = String.raw`github\.(?:actor|triggering_actor|event\.sender\.login)`;
/** The repository's owner or one named person (Dependabot is not one: its PRs get no Actions secrets). */
const TRUSTED = String.raw`(?:github\.repository_owner|'(?!dependabot\[bot\]')[^']+')`;
/** `github.actor == github.repository_owner`, `github.event.sender.login == 'x'`, either way round. */
const PERSON_GUARD = new RegExp(String.raw`^(?:${WHO}\s*==\s*${TRUSTED}|${TRUSTED}\s*==\s*${WHO})$`, 'i');
/** `contains(fromJSON('["a","b"]'), github.actor)`: one of a fixed list. */
const LIST_GUARD = new RegExp(
  String.raw`^contains\(\s*fromJSON\(\s*'\[[^']*\]'\s*\)\s*,\s*${WHO}\s*\)$`,
  'i',
);

/** Every guard that keeps a fork's run out of a job holding secrets. */
export const FORK_GUARDS: readonly RegExp[] = [HEAD_GUARD, SAME_REPOSITORY_PR, PERSON_GUARD, LIST_GUARD];

/**
 * Whether a job or step condition keeps fork PRs out: every `||` alternative requires the head
 * repository to be this one, or whoever started the run to be the owner or on a fixed list. One
 * alternative without such a part lets a fork's run through.
 */
export function keepsForksOut(
  condition: string | undefined,
  guards: readonly RegExp[] = FORK_GUARDS,
): boolean {
  if (!condition) return false;
  const alternatives = conditionParts(condition, '||');
  if (alternatives.length > 1) return alternatives.every((a) => keepsForksOut(a, guards));
  return conditionParts(condition, '&&').some(
    (part) =>
      guards.some((guard) => guard.test(part)) ||
      // A part in parentheses with alternatives of its own: `(actor == owner || actor == 'x') && ...`.
      (conditionParts(part, '||').length > 1 && keepsForksOut(part, guards)),
  );
}

/** False when the job's `if:` names the events it runs on and this is not one of them. */
export function runsOnEvent(condition: string | undefined, event: string): boolean {
  if (!condition || /github\.event_name\s*!=/.test(condition)) return true;
  // Every alternative must name its event; `github.actor == 'x' || ...` runs on any event.
  const alternatives = condition.split('||');
  if (!alternatives.every((a) => /github\.event_name\s*==/.test(a))) return true;
  const named = [...condition.matchAll(/github\.event_name\s*==\s*'([^']+)'/g)].map((m) => m[1]);
  return named.includes(event);
}

export function jobList(runs: RoutedInvocation[]): string {
  const ids = [...new Set(runs.map((r) => `\`${r.job}\``))];
  return ids.length === 1
    ? `Job ${ids[0]}`
    : `Jobs ${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

export function plural(runs: RoutedInvocation[], one: string, many: string): string {
  return new Set(runs.map((r) => r.job)).size === 1 ? one : many;
}

export function secretOf(inv: RoutedInvocation): string | undefined {
  return inv.route.winner?.origin.value.secrets[0];
}

/** Every secret the runs' winning credentials name, in the order they first appear. */
export function secretList(runs: RoutedInvocation[]): { text: string; many: boolean } {
  const names = [...new Set(runs.flatMap((r) => r.route.winner?.origin.value.secrets ?? []))].map(
    (n) => `secrets.${n}`,
  );
  const text =
    names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return { text, many: names.length > 1 };
}

/**
 * The runs that need a secret on a trigger: a winning credential from a secret on a known route, in a job
 * and step whose `if:` lets this event through, and that `keep` keeps.
 */
export function needingOnTrigger(
  invocations: RoutedInvocation[],
  trigger: Trigger,
  keep: (inv: RoutedInvocation) => boolean,
): RoutedInvocation[] {
  return invocations.filter(
    (inv) =>
      secretOf(inv) !== undefined &&
      inv.route.certainty === 'known' &&
      runsOnEvent(inv.jobNode?.if?.text, trigger.name) &&
      runsOnEvent(inv.stepNode?.if?.text, trigger.name) &&
      keep(inv),
  );
}
