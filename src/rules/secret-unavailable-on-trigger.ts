import type { Job, Trigger, Value, Workflow } from '../workflow/model.js';
import type { Draft, Rule, RoutedInvocation } from './rule.js';
import { runnerOf } from '../workflow/runner.js';
import { conditionParts } from '../workflow/expression.js';

/** A condition on the head repository that keeps fork PRs out, so the secret is always there when it runs. */
const HEAD_GUARD =
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
const FORK_GUARDS: readonly RegExp[] = [HEAD_GUARD, SAME_REPOSITORY_PR, PERSON_GUARD, LIST_GUARD];

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

/**
 * The guards read before the fork-checkout error, by trigger. On pull_request_target only the head
 * repository counts: who started the run is whoever last pushed to or re-ran the pull request, and a
 * fork's new commit can follow a trusted person's run, so a person guard does not keep its code out.
 */
const HEAD_CHECKOUT_GUARDS: Partial<Record<string, readonly RegExp[]>> = {
  workflow_run: FORK_GUARDS,
  pull_request_target: [HEAD_GUARD],
};

/** A checkout of the pull request's own code. */
const PR_HEAD_REF =
  /github\.event\.(pull_request\.head\.(sha|ref)|workflow_run\.head_sha)|refs\/pull\/|github\.head_ref/;
/**
 * The triggering run's branch NAME: a fork's code only where `repository:` names another repository (the
 * head repository); without one it is the base repository's branch of that name. A fork's head SHA, in
 * contrast, is fetchable from the base repository through refs/pull, so `head_sha` stays a head checkout.
 */
const HEAD_BRANCH = /github\.event\.workflow_run\.head_branch/;
const BASE_REPOSITORY = /^\s*\$\{\{\s*github\.repository\s*\}\}\s*$/;

/** False when the job's `if:` names the events it runs on and this is not one of them. */
export function runsOnEvent(condition: string | undefined, event: string): boolean {
  if (!condition || /github\.event_name\s*!=/.test(condition)) return true;
  // Every alternative must name its event; `github.actor == 'x' || ...` runs on any event.
  const alternatives = condition.split('||');
  if (!alternatives.every((a) => /github\.event_name\s*==/.test(a))) return true;
  const named = [...condition.matchAll(/github\.event_name\s*==\s*'([^']+)'/g)].map((m) => m[1]);
  return named.includes(event);
}

/**
 * The `ref:` of a step of the job that checks out the pull request's own code, if one does. On
 * workflow_run a checkout step whose `if:` keeps forks out checks out only same-repository code.
 */
function headCheckout(job: Job | undefined, trigger: string): Value | undefined {
  const guards = HEAD_CHECKOUT_GUARDS[trigger];
  for (const step of job?.steps ?? []) {
    if (!/^actions\/checkout@/.test(step.uses?.text.trim() ?? '')) continue;
    if (guards && keepsForksOut(step.if?.text, guards)) continue;
    const repository = step.with.find((w) => w.name === 'repository')?.value.text;
    const otherRepository = repository !== undefined && !BASE_REPOSITORY.test(repository);
    const ref = step.with.find(
      (w) =>
        w.name === 'ref' &&
        (PR_HEAD_REF.test(w.value.text) || (otherRepository && HEAD_BRANCH.test(w.value.text))),
    );
    if (ref) return ref.value;
  }
  return undefined;
}

/**
 * A job or step `if:` that keeps forks out (HEAD_CHECKOUT_GUARDS: on pull_request_target, the head
 * repository required to be this one) means the run never holds a fork's code.
 */
function forksKeptOut(trigger: Trigger, inv: RoutedInvocation): boolean {
  const guards = HEAD_CHECKOUT_GUARDS[trigger.name];
  if (!guards) return false;
  return keepsForksOut(inv.jobNode?.if?.text, guards) || keepsForksOut(inv.stepNode?.if?.text, guards);
}

function jobList(runs: RoutedInvocation[]): string {
  const ids = [...new Set(runs.map((r) => `\`${r.job}\``))];
  return ids.length === 1
    ? `Job ${ids[0]}`
    : `Jobs ${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

function plural(runs: RoutedInvocation[], one: string, many: string): string {
  return new Set(runs.map((r) => r.job)).size === 1 ? one : many;
}

function secretOf(inv: RoutedInvocation): string | undefined {
  return inv.route.winner?.origin.value.secrets[0];
}

/** Every secret the runs' winning credentials name, in the order they first appear. */
function secretList(runs: RoutedInvocation[]): { text: string; many: boolean } {
  const names = [...new Set(runs.flatMap((r) => r.route.winner?.origin.value.secrets ?? []))].map(
    (n) => `secrets.${n}`,
  );
  const text =
    names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return { text, many: names.length > 1 };
}

export const secretUnavailableOnTrigger: Rule = {
  id: 'secret-unavailable-on-trigger',
  severity: 'warning',
  summary:
    'The route needs a secret on a trigger where it arrives empty, or runs untrusted PR code next to it.',
  silencedByAllow: true,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ doc, invocations }) {
    if (doc.kind !== 'workflow') return [];
    const out: Draft[] = [];
    const needing = invocations.filter(
      (inv) => secretOf(inv) !== undefined && inv.route.certainty === 'known',
    );
    const forTrigger = (trigger: Trigger, keep: (inv: RoutedInvocation) => boolean): RoutedInvocation[] =>
      needing.filter(
        (inv) =>
          runsOnEvent(inv.jobNode?.if?.text, trigger.name) &&
          runsOnEvent(inv.stepNode?.if?.text, trigger.name) &&
          keep(inv),
      );
    for (const trigger of doc.triggers) {
      if (trigger.name === 'pull_request_target' || trigger.name === 'workflow_run') {
        out.push(
          ...throughCallees(
            doc,
            trigger,
            forTrigger(
              trigger,
              (inv) =>
                inv.runner !== undefined && inv.runner.job !== inv.jobNode && !forksKeptOut(trigger, inv),
            ),
          ),
        );
        const runs = forTrigger(
          trigger,
          (inv) => headCheckout(inv.jobNode, trigger.name) !== undefined && !forksKeptOut(trigger, inv),
        );
        if (runs.length === 0) continue;
        out.push({
          file: doc.file,
          span: trigger.span,
          severity: 'error',
          invocation: runs[0]!,
          concerns: runs.slice(1),
          message:
            `${jobList(runs)} ${plural(runs, 'runs', 'run')} on ${trigger.name} with the base repository's secrets, ${plural(runs, 'checks', 'check')} out the pull request's code and then ${plural(runs, 'runs', 'run')} Claude Code with ${secretList(runs).text}: untrusted code runs next to your billed credential. ` +
            'Use `pull_request` for untrusted code, or do not check out the PR head in a job that holds the key.',
        });
      } else if (trigger.name === 'pull_request') {
        const runs = forTrigger(
          trigger,
          (inv) => !keepsForksOut(inv.jobNode?.if?.text) && !keepsForksOut(inv.stepNode?.if?.text),
        );
        if (runs.length === 0) continue;
        out.push({
          file: doc.file,
          span: trigger.span,
          invocation: runs[0]!,
          concerns: runs.slice(1),
          message:
            `${jobList(runs)} ${plural(runs, 'needs', 'need')} ${secretList(runs).text} on pull_request, but pull requests from forks and from Dependabot get no Actions secrets, so ${secretList(runs).many ? 'they arrive' : 'it arrives'} empty and the Claude run ${runs.every((r) => runnerOf(r) === 'github-hosted') ? 'fails (a GitHub-hosted runner has no stored login to fall back on)' : 'fails or falls back to a stored login'}. ` +
            'Skip those runs with `if: github.event.pull_request.head.repo.full_name == github.repository` (and store the key as a Dependabot secret if Dependabot PRs need it).',
        });
      }
    }
    return out;
  },
};

/**
 * A trigger that hands the base repository's secrets to a reusable workflow (local, nested or read
 * remote) whose job checks out the pull request's code and runs Claude: the one-file case, found at the
 * checkout in the callee, with the caller's trigger named and related.
 */
function throughCallees(doc: Workflow, trigger: Trigger, runs: RoutedInvocation[]): Draft[] {
  const byCheckout = new Map<Value, RoutedInvocation[]>();
  for (const inv of runs) {
    const job = inv.runner!.job;
    if (!runsOnEvent(job.if?.text, trigger.name)) continue;
    if (trigger.name === 'workflow_run' && keepsForksOut(job.if?.text)) continue;
    const ref = headCheckout(job, trigger.name);
    if (ref) byCheckout.set(ref, [...(byCheckout.get(ref) ?? []), inv]);
  }
  return [...byCheckout].map(([ref, found]) => {
    const { file, job } = found[0]!.runner!;
    const at = `${doc.file}:${trigger.span.line}:${trigger.span.column}`;
    return {
      file,
      span: ref.span,
      severity: 'error' as const,
      invocation: found[0]!,
      concerns: found.slice(1),
      // The hops from the caller's uses: to the run follow as related locations too.
      related: [{ file: doc.file, span: trigger.span, label: `the caller's ${trigger.name} trigger` }],
      message:
        `${jobList(found)} ${plural(found, 'runs', 'run')} on ${trigger.name} (${at}) with the base repository's secrets and ${plural(found, 'calls', 'call')} this workflow, whose job \`${job.id}\` checks out the pull request's code here and then runs Claude Code with ${secretList(found).text}: untrusted code runs next to your billed credential. ` +
        'Use `pull_request` for untrusted code, or do not check out the PR head in a job that holds the key.',
    };
  });
}
