import type { Repo } from '../sources/repo.js';
import type { Finding, RouteKind, Span } from '../types.js';
import { coversRoute, didYouMean, globMatches, safeName, type AllowEntry, type Policy } from './policy.js';

/** The route of one run, as an allow entry is matched against it. */
interface RunRoute {
  route: RouteKind;
  outcomes: readonly RouteKind[];
}

interface Seen {
  repo: Repo;
  /** Scanned files by their paths from the repository root, as allow entries name them. */
  files: string[];
  /** By file, each job with a Claude run and the routes of its runs. */
  jobs: Map<string, Map<string, RunRoute[]>>;
}

type Draft = Omit<Finding, 'rule' | 'severity' | 'confidence'>;

/**
 * Which allow entries of each policy matched a run. An entry that matched none is reported only when the
 * scan can tell: its workflow was scanned, or it names a file the repository does not have. An entry for a
 * workflow left out of this scan says nothing.
 */
export class AllowUse {
  private readonly seen = new Map<Policy, Seen>();
  private readonly matched = new Set<AllowEntry>();

  sawFile(policy: Policy, file: string, repo: Repo): void {
    if (policy.allow.length === 0) return;
    let seen = this.seen.get(policy);
    if (!seen) this.seen.set(policy, (seen = { repo, files: [], jobs: new Map() }));
    seen.files.push(file);
  }

  sawRun(policy: Policy, file: string, job: string, route: RouteKind, outcomes: readonly RouteKind[]): void {
    const jobs = this.seen.get(policy)?.jobs;
    if (!jobs) return;
    if (!jobs.has(file)) jobs.set(file, new Map());
    const runs = jobs.get(file)!;
    if (!runs.has(job)) runs.set(job, []);
    runs.get(job)!.push({ route, outcomes: [...outcomes] });
  }

  used(entry: AllowEntry): void {
    this.matched.add(entry);
  }

  *unused(): Generator<{ policy: Policy; draft: Draft }> {
    for (const [policy, seen] of this.seen) {
      if (policy.file === undefined) continue;
      for (const entry of policy.allow) {
        if (this.matched.has(entry) || !entry.span) continue;
        const found = unusedMessage(entry, seen);
        if (found)
          yield {
            policy,
            draft: { file: policy.file, span: found.span ?? entry.span, message: found.message },
          };
      }
    }
  }
}

/** Why an entry allows nothing, and where: its `job:` line when no run's job matches it, else the entry. */
function unusedMessage(entry: AllowEntry, seen: Seen): { message: string; span?: Span } | undefined {
  const scanned = seen.files.filter((f) => globMatches(entry.workflow, f));
  const job =
    entry.job === undefined ? '' : `, job ${safeName(entry.job, '(a name with unusual characters)')}`;
  const what = `This allow entry (workflow ${safeName(entry.workflow, '(a path with unusual characters)')}${job}, routes ${entry.routes.join(', ')})`;
  if (scanned.length > 0) return whyNoRunMatches(entry, what, scanned, seen);
  if (/[*?]/.test(entry.workflow) || seen.repo.read(entry.workflow) !== undefined) return undefined;
  const known = seen.files;
  return {
    message: `${what} names a workflow the repository does not have${didYouMean(entry.workflow, known)}, so it allows nothing. Paths start at the repository root, like .github/workflows/review.yml.`,
  };
}

const MAX_JOBS_NAMED = 3;

/**
 * Why an entry whose workflow was scanned matched no run, said only as far as the scan knows it: the
 * workflow has no Claude run; no job with a run has the entry's name (on its `job:` line, with the nearest
 * name); or the jobs it names bill routes it does not list, named with those routes.
 */
function whyNoRunMatches(
  entry: AllowEntry,
  what: string,
  scanned: string[],
  seen: Seen,
): { message: string; span?: Span } {
  const jobs = new Map<string, RunRoute[]>();
  for (const file of scanned)
    for (const [name, runs] of seen.jobs.get(file) ?? [])
      jobs.set(name, [...(jobs.get(name) ?? []), ...runs]);
  if (jobs.size === 0)
    return { message: `${what} allows nothing: that workflow has no Claude run. Remove the entry.` };
  const named = [...jobs].filter(([name]) => entry.job === undefined || globMatches(entry.job, name));
  if (named.length === 0) {
    const hint = didYouMean(entry.job!, [...jobs.keys()]);
    const cause = hint
      ? 'the job was renamed, or the name is misspelt'
      : 'no job there that runs Claude has that name';
    return {
      message: `${what} matches no Claude run in that workflow${hint}: ${cause}. Fix the job name or remove the entry.`,
      span: entry.jobSpan,
    };
  }
  const billed = named.slice(0, MAX_JOBS_NAMED).map(([name, runs]) => {
    const routes = [
      ...new Set(
        runs.flatMap((r) => (r.route === 'unknown' && r.outcomes.length > 0 ? r.outcomes : [r.route])),
      ),
    ];
    const decided = runs.some((r) => r.route === 'unknown') ? ', decided at run time' : '';
    return `job ${safeName(name, '(a name with unusual characters)')} bills ${routes.join(' or ')}${decided}`;
  });
  const more = named.length > MAX_JOBS_NAMED ? ` and ${named.length - MAX_JOBS_NAMED} more job(s)` : '';
  // A run decided at run time is allowed only with every route it can end on; naming some is not a change.
  const partly = named.some(([, runs]) =>
    runs.some((r) => r.route === 'unknown' && r.outcomes.some((o) => coversRoute(entry, o, []))),
  );
  const cause = partly
    ? 'an entry allows a run decided at run time only when it lists every route the run can end on. List them all or remove the entry.'
    : 'the route changed. Fix the routes or remove the entry.';
  return { message: `${what} matches no Claude run in that workflow: ${billed.join(', ')}${more}; ${cause}` };
}
