import type { Repo } from '../sources/repo.js';
import type { Finding, Span } from '../types.js';
import { didYouMean, globMatches, safeName, type AllowEntry, type Policy } from './policy.js';

interface Seen {
  repo: Repo;
  /** Scanned files by their paths from the repository root, as allow entries name them. */
  files: string[];
  jobs: Map<string, Set<string>>;
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

  sawRun(policy: Policy, file: string, job: string): void {
    const jobs = this.seen.get(policy)?.jobs;
    if (!jobs) return;
    if (!jobs.has(file)) jobs.set(file, new Set());
    jobs.get(file)!.add(job);
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
  if (scanned.length > 0) {
    const jobs = [...new Set(scanned.flatMap((f) => [...(seen.jobs.get(f) ?? [])]))];
    // The job is what does not match when no job with a Claude run fits its name, whatever the route;
    // then it is the name to fix, and the nearest job name helps. Otherwise the route changed.
    const jobMisses = entry.job !== undefined && !jobs.some((j) => globMatches(entry.job!, j));
    const hint = jobMisses ? didYouMean(entry.job!, jobs) : '';
    const message = `${what} matches no Claude run in that workflow${hint}: the job was renamed or its route changed. Fix the entry or remove it.`;
    return { message, span: jobMisses ? entry.jobSpan : undefined };
  }
  if (/[*?]/.test(entry.workflow) || seen.repo.read(entry.workflow) !== undefined) return undefined;
  const known = seen.files;
  return {
    message: `${what} names a workflow the repository does not have${didYouMean(entry.workflow, known)}, so it allows nothing. Paths start at the repository root, like .github/workflows/review.yml.`,
  };
}
