import type { ScanBudget } from '../claude/invocations.js';
import { findInvocations } from '../claude/walker.js';
import type { AnalysisProblem } from '../flow/environment.js';
import { routeOf } from '../claude/routes.js';
import { allowedBy, type AllowEntry, type Policy } from '../policy/policy.js';
import type { RoutedInvocation } from '../rules/rule.js';
import type { Repo } from '../sources/repo.js';
import type { ActionMetadata, Workflow } from '../workflow/model.js';
import type { ParseError } from './parse.js';

export interface RoutedRuns {
  runs: RoutedInvocation[];
  /** The reason of the allow entry that declares a run's route intended, for each run it does. */
  intended: Map<RoutedInvocation, string>;
  /** The allow entries that matched a run. */
  allowed: AllowEntry[];
  /** What the analysis could not follow (a missing callee) or cut short (a callee over budget). */
  problems: AnalysisProblem[];
  /** Set when the file is nested too deeply to analyse: then it has no runs. */
  tooDeep?: ParseError;
}

/**
 * Routes and allow entries: the Claude runs of one file, each with the route Claude Code's precedence
 * gives the credentials that reach it, and the policy's allow entries that declare that route intended.
 * Every run is placed in the scanned file (a wrapper's at the caller's `uses:`), so it is matched by the
 * scanned file's path from its repository's root; the report keeps naming it from the current folder.
 */
export function routeRuns(
  doc: Workflow | ActionMetadata,
  repo: Repo,
  policy: Policy,
  path: string,
  scan?: ScanBudget,
): RoutedRuns {
  const problems: AnalysisProblem[] = [];
  const intended = new Map<RoutedInvocation, string>();
  const allowed: AllowEntry[] = [];
  let found;
  try {
    found = findInvocations(doc, repo, problems, scan);
  } catch (error) {
    // One file that exhausts the stack must not cost every other file its findings.
    if (!(error instanceof RangeError)) throw error;
    const message =
      'This file is nested too deeply to analyse, so its Claude runs are not checked. Simplify it.';
    return {
      runs: [],
      intended,
      allowed,
      problems,
      tooDeep: { file: doc.file, span: doc.source.span(0, 0), message },
    };
  }
  const runs: RoutedInvocation[] = found.map((inv) => ({ ...inv, route: routeOf(inv) }));
  for (const inv of runs) {
    const allow = allowedBy(policy, path, inv.job, inv.route.kind, inv.route.outcomes);
    if (!allow) continue;
    intended.set(inv, allow.reason);
    allowed.push(allow);
  }
  return { runs, intended, allowed, problems };
}
