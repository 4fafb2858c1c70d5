import type { Job, Trigger, Value, Workflow } from '../workflow/model.js';
import type { Draft, Rule, RoutedInvocation } from './rule.js';
import {
  FORK_GUARDS,
  HEAD_GUARD,
  jobList,
  keepsForksOut,
  needingOnTrigger,
  plural,
  runsOnEvent,
  secretList,
} from './trigger-secrets.js';

/**
 * The triggers that hand the base repository's secrets to a run that can hold a pull request's code, and
 * the guards that keep a fork's code out of it. On pull_request_target only the head repository counts:
 * who started the run is whoever last pushed to or re-ran the pull request, and a fork's new commit can
 * follow a trusted person's run, so a person guard does not keep its code out.
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

export const untrustedCheckoutWithSecrets: Rule = {
  id: 'untrusted-checkout-with-secrets',
  severity: 'error',
  summary:
    "A pull_request_target or workflow_run job checks out the pull request's code and runs Claude Code with the base repository's secrets.",
  // A route declared intended does not make the pull request's code trusted.
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ doc, invocations }) {
    if (doc.kind !== 'workflow') return [];
    return doc.triggers
      .filter((trigger) => HEAD_CHECKOUT_GUARDS[trigger.name] !== undefined)
      .flatMap((trigger) => [
        ...atCheckouts(doc, trigger, localRuns(doc, invocations, trigger)),
        ...atCheckouts(doc, trigger, calleeRuns(invocations, trigger)),
      ]);
  },
};

/** The file's own jobs that check out the pull request's code and run Claude, no guard keeping forks out. */
function localRuns(doc: Workflow, invocations: RoutedInvocation[], trigger: Trigger): Checked[] {
  return needingOnTrigger(invocations, trigger, (inv) => !forksKeptOut(trigger, inv)).flatMap((inv) => {
    const ref = headCheckout(inv.jobNode, trigger.name);
    return ref ? [{ inv, ref, file: doc.file, job: inv.jobNode!.id }] : [];
  });
}

/**
 * Runs of a reusable workflow (local, nested or read remote) this trigger hands the secrets to, whose
 * job checks out the pull request's code: found at the checkout in the callee.
 */
function calleeRuns(invocations: RoutedInvocation[], trigger: Trigger): Checked[] {
  const called = needingOnTrigger(
    invocations,
    trigger,
    (inv) => inv.runner !== undefined && inv.runner.job !== inv.jobNode && !forksKeptOut(trigger, inv),
  );
  return called.flatMap((inv) => {
    const { file, job } = inv.runner!;
    if (!runsOnEvent(job.if?.text, trigger.name)) return [];
    if (trigger.name === 'workflow_run' && keepsForksOut(job.if?.text)) return [];
    const ref = headCheckout(job, trigger.name);
    return ref ? [{ inv, ref, file, job: job.id }] : [];
  });
}

/** A run, and the checkout of the pull request's code in the job that holds it. */
interface Checked {
  inv: RoutedInvocation;
  ref: Value;
  /** The file of the checkout (the callee's, for a run through a reusable workflow). */
  file: string;
  /** The job of the checkout. */
  job: string;
}

/**
 * One finding per checkout: at its `ref:`, the text that puts the pull request's code in the job, with the
 * trigger that brings the secrets as a related location.
 */
function atCheckouts(doc: Workflow, trigger: Trigger, checked: Checked[]): Draft[] {
  const byCheckout = new Map<Value, Checked[]>();
  for (const c of checked) byCheckout.set(c.ref, [...(byCheckout.get(c.ref) ?? []), c]);
  return [...byCheckout].map(([ref, found]) => {
    const runs = found.map((c) => c.inv);
    const { file, job } = found[0]!;
    const inCallee = file !== doc.file;
    // In the file of the finding, the line says where; from a callee, the caller's file is named too.
    const { line, column } = trigger.span;
    const at = inCallee ? `${doc.file}:${line}:${column}` : `line ${line}`;
    const how = inCallee
      ? `${plural(runs, 'calls', 'call')} this workflow, whose job \`${job}\` checks out the pull request's code here`
      : `${plural(runs, 'checks', 'check')} out the pull request's code here`;
    return {
      file,
      span: ref.span,
      invocation: runs[0]!,
      concerns: runs.slice(1),
      related: [
        {
          file: doc.file,
          span: trigger.span,
          label: `the ${inCallee ? "caller's " : ''}${trigger.name} trigger`,
        },
      ],
      message:
        `${jobList(runs)} ${plural(runs, 'runs', 'run')} on ${trigger.name} (${at}) with the base repository's secrets, ${how} and then ${plural(runs, 'runs', 'run')} Claude Code with ${secretList(runs).text}: untrusted code runs next to your billed credential. ` +
        'Use `pull_request` for untrusted code, or do not check out the PR head in a job that holds the key.',
    };
  });
}
