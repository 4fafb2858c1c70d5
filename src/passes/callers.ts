import { allowedBy, type Policy } from '../policy/policy.js';
import { RULES } from '../rules/index.js';
import type { AllowUse } from '../policy/unused-allow.js';
import type { CredentialRow, RouteKind, RouteRow } from '../types.js';
import { detached } from './findings.js';
import type { PendingVerdict } from './verdict.js';

/** A row as its file's turn left it, with what the callers pass needs to know of that file. */
export interface PlacedRow extends PendingVerdict {
  /** The row's file only runs when called: a composite or Docker action, or a workflow only workflows call. */
  callOnly: boolean;
  /** The policy the row's file follows, and the file's path from its repository root. */
  policy: Policy;
  path: string;
  /** The rules whose finding on a callee this run, as its caller, settles (Rule.settledByCaller). */
  settles: string[];
}

export { runsOnlyWhenCalled } from '../rules/rule.js';

/** The route a caller gives a run, as far as rows are told apart by it: who bills, how sure, and where to. */
function routeKey(row: RouteRow): string {
  return JSON.stringify([row.route, row.certainty, row.outcomes, row.endpoint]);
}

/** A row's own name: the run as seen from where the row is (runNames' first). */
export const nameOf = (row: PendingVerdict): string => row.judges[0]!.names[0]!;

/**
 * Where the callee's own lines carry the credential of `route` (the step that reads the secret, the input
 * wired to the action), read alone as the winner or as one it can fall back to: it lies in the row's own
 * file. Without one the first caller's credential says what it is.
 */
function ownCredential(callee: RouteRow, route: RouteKind): CredentialRow | undefined {
  if (callee.route === route && callee.credential) return callee.credential;
  const fallback = callee.shadowed.find((s) => s.route === route);
  if (!fallback) return undefined;
  const { variable, level, source, file, line, column } = fallback;
  return { variable, level, source, file, line, column };
}

/** The row of a callee's run for the callers that give it one route: that route, and those callers. */
function routeFromCallers(callee: PlacedRow, callers: PlacedRow[], allowUse: AllowUse): PendingVerdict {
  const given = callers[0]!.row;
  const row: RouteRow = detached({
    ...callee.row,
    route: given.route,
    credential: ownCredential(callee.row, given.route) ?? given.credential,
    shadowed: given.shadowed,
    endpoint: given.endpoint,
    certainty: given.certainty,
    opaque: given.opaque,
    outcomes: given.outcomes,
    reason: given.reason,
    verdict: 'ok',
    callers: callers.map((c) => ({ file: c.row.file, line: c.row.line, job: c.row.job })),
  });
  const allow = allowedBy(callee.policy, callee.path, row.job, row.route, row.outcomes);
  row.intended = allow ? allow.reason : null;
  allowUse.sawRun(callee.policy, callee.path, row.job, row.route, row.outcomes);
  if (allow) allowUse.used(allow);
  // What concerns any of these callers' runs concerns this row, and so does what lies on its own lines.
  return { row, judges: [...callee.judges, ...callers.flatMap((c) => c.judges)] };
}

/** The rows that call each callee row's run, by the callee row: callers further out stand for the rest. */
export function callersOf(rows: readonly PlacedRow[]): Map<PlacedRow, PlacedRow[]> {
  const through = new Map<string, PlacedRow[]>();
  for (const row of rows)
    for (const name of row.judges[0]!.names.slice(1)) through.set(name, [...(through.get(name) ?? []), row]);
  const replaced = (row: PlacedRow): boolean => row.callOnly && through.has(nameOf(row));
  const out = new Map<PlacedRow, PlacedRow[]>();
  for (const row of rows) {
    const callers = (through.get(nameOf(row)) ?? []).filter((c) => !replaced(c));
    if (callers.length > 0) out.set(row, callers);
  }
  return out;
}

/**
 * One row per place: a callee's run (in a reusable workflow or a local action) has its own row at its own
 * line, and each job that calls it keeps its row at its `uses:`. Read alone, a callee that runs only when
 * called gets the route a caller would give; once callers in the scan reach it, that row gives way to one
 * row per distinct route those callers give it, each listing its `callers`. A callee with triggers of its
 * own keeps its row for them, and callers that give that same route join it.
 *
 * A caller is a row whose chain of hops passes through the callee row's place to the same run. A caller
 * that is itself a call-only callee reached from further out is not counted: the jobs further out are.
 */
export function rowsPerPlace(rows: readonly PlacedRow[], allowUse: AllowUse): PendingVerdict[] {
  const callersByRow = callersOf(rows);
  const out: PendingVerdict[] = [];
  for (const callee of rows) {
    const callers = callersByRow.get(callee) ?? [];
    if (callers.length === 0) {
      out.push(callee);
      continue;
    }
    const byRoute = new Map<string, PlacedRow[]>();
    for (const caller of callers) {
      const key = routeKey(caller.row);
      byRoute.set(key, [...(byRoute.get(key) ?? []), caller]);
    }
    if (!callee.callOnly) {
      // Run on its own triggers, the callee keeps its row; callers that give the same route are listed on it.
      const same = byRoute.get(routeKey(callee.row)) ?? [];
      byRoute.delete(routeKey(callee.row));
      callee.row.callers = same.map((c) => detached({ file: c.row.file, line: c.row.line, job: c.row.job }));
      out.push({ row: callee.row, judges: [...callee.judges, ...same.flatMap((c) => c.judges)] });
    }
    for (const group of byRoute.values()) out.push(routeFromCallers(callee, group, allowUse));
  }
  return out;
}

/**
 * Rules that judge a run by its route: read alone, a call-only callee's route is what a caller would give;
 * once callers in the scan reach it, its row gives way to the routes they give (rowsPerPlace), and their
 * runs, which pass through it, are judged on those. What was said of the route read alone is then moot.
 */
const ROUTE_RULES = RULES.filter((r) => r.confidence === 'route').map((r) => r.id);

/**
 * The rules each call-only callee's run is settled for, with the run's own name, so its findings read
 * alone can be dropped: every rule that judges the route, since its callers' runs are judged instead, and
 * those every caller in the scan settles (Rule.settledByCaller).
 */
export function settledByCallers(rows: readonly PlacedRow[]): { rule: string; run: string }[] {
  const out: { rule: string; run: string }[] = [];
  for (const [callee, callers] of callersOf(rows)) {
    if (!callee.callOnly) continue;
    const settled = new Set(ROUTE_RULES);
    for (const rule of callers[0]!.settles)
      if (callers.every((c) => c.settles.includes(rule))) settled.add(rule);
    for (const rule of settled) out.push({ rule, run: nameOf(callee) });
  }
  return out;
}
