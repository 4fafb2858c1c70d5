import type { RoutedInvocation } from './rules/rule.js';
import { credentialPlace } from './rules/rule.js';
import { SEVERITY_RANK, type Finding, type Location } from './types.js';

/** Findings about the inline ignores themselves say nothing about a run. */
const NOT_ABOUT_RUNS = new Set(['ignore-without-reason', 'unused-ignore', 'parse-error']);

export interface Region {
  file: string;
  from: number;
  to: number;
}

function lineRegion(place: Location): Region {
  return { file: place.file, from: place.span.line, to: place.span.endLine };
}

/**
 * The lines a run is judged by: where it is written and every hop to it, each credential that reaches it
 * (value and key), its step, and its job (from its key to the next job's). A finding anywhere in them
 * concerns the run, whichever rule raised it.
 */
export function regionsOf(inv: RoutedInvocation): Region[] {
  const regions: Region[] = [lineRegion(inv)];
  for (const hop of inv.hops) regions.push(lineRegion(hop));
  for (const b of inv.bindings.values()) {
    regions.push(lineRegion(credentialPlace(b)), lineRegion({ file: b.file, span: b.keySpan }));
  }
  if (inv.stepNode)
    regions.push({ file: inv.file, from: inv.stepNode.span.line, to: inv.stepNode.span.endLine });
  const jobs = inv.workflow?.jobs ?? [];
  const at = jobs.findIndex((j) => j.id === inv.job);
  if (at >= 0) {
    const next = jobs.slice(at + 1).find((j) => j.idSpan.line > jobs[at]!.idSpan.line);
    regions.push({
      file: inv.file,
      from: jobs[at]!.idSpan.line,
      to: next ? next.idSpan.line - 1 : Number.MAX_SAFE_INTEGER,
    });
  }
  return regions;
}

function inside(f: Finding, regions: readonly Region[]): boolean {
  return regions.some((r) => r.file === f.file && f.span.line <= r.to && f.span.endLine >= r.from);
}

/**
 * One verdict per run: the most severe finding that concerns it, then `intended: reason` when the
 * policy allowed its route, whatever else fired. `ok` only when nothing at all concerns it.
 */
export function verdictOf(
  regions: readonly Region[],
  tied: readonly Finding[],
  findingsByFile: ReadonlyMap<string, readonly Finding[]>,
  intended: string | undefined,
): string {
  const files = new Set(regions.map((r) => r.file));
  const candidates = [...files].flatMap((file) => findingsByFile.get(file) ?? []);
  const concerning = [
    ...tied,
    ...candidates.filter((f) => !NOT_ABOUT_RUNS.has(f.rule) && inside(f, regions)),
  ];
  const worst = concerning.reduce<Finding | undefined>(
    (best, f) => (!best || SEVERITY_RANK[f.severity] > SEVERITY_RANK[best.severity] ? f : best),
    undefined,
  );
  const parts: string[] = [];
  if (worst) parts.push(`${worst.severity}: ${worst.rule}`);
  if (intended !== undefined) parts.push(`intended: ${intended}`);
  return parts.length > 0 ? parts.join('; ') : 'ok';
}
