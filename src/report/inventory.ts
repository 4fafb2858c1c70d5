import type { Unreadable } from '../inventory/listing.js';
import { findingOf, type RepositoryResult } from '../inventory/result.js';
import type { LeftOut } from '../inventory/run.js';
import { urlPath } from '../sources/address.js';
import type { RouteKind, Severity } from '../types.js';
import { rankFindings } from './github.js';
import type { FindingJson } from './json.js';

/** The inventory as every format renders it: repositories in name order, read one at a time. */
export interface InventoryDocument {
  owner: string;
  /** The web server links point at (`https://github.com`, or an Enterprise Server). */
  server: string;
  names: readonly string[];
  get(name: string): RepositoryResult;
  unreadable: readonly Unreadable[];
  rollup: Rollup;
}

export interface RouteCount {
  route: RouteKind;
  runs: number;
  repositories: number;
}

/** The answer in numbers: what every format says first. */
export interface Rollup {
  /** Repositories taken (read, or not readable); those left out are counted apart. */
  repositories: number;
  read: number;
  /** Repositories with at least one Claude Code run. */
  withRuns: number;
  runs: number;
  /** Runs by route, the most common first. */
  routes: RouteCount[];
  /** Runs billed to a person's subscription (a token or a login), and in how many repositories. */
  personal: { runs: number; repositories: number };
  findings: Record<Severity, number>;
  unreadable: number;
  leftOut: LeftOut;
}

const PERSONAL: readonly RouteKind[] = ['subscription-oauth-token', 'subscription-login'];

/** The roll-up of results read one at a time, so it never holds them all. */
export function rollupOf(results: Iterable<RepositoryResult>, unreadable: number, leftOut: LeftOut): Rollup {
  const routes = new Map<RouteKind, { runs: number; repositories: number }>();
  const rollup: Rollup = {
    repositories: unreadable,
    read: 0,
    withRuns: 0,
    runs: 0,
    routes: [],
    personal: { runs: 0, repositories: 0 },
    findings: { error: 0, warning: 0, notice: 0 },
    unreadable,
    leftOut: { ...leftOut },
  };
  for (const result of results) {
    rollup.repositories++;
    rollup.read++;
    if (result.routes.length > 0) rollup.withRuns++;
    rollup.runs += result.routes.length;
    for (const f of result.findings) rollup.findings[f.severity]++;
    const kinds = new Set(result.routes.map((r) => r.route));
    for (const r of result.routes) {
      const count = routes.get(r.route) ?? { runs: 0, repositories: 0 };
      count.runs++;
      routes.set(r.route, count);
    }
    for (const kind of kinds) routes.get(kind)!.repositories++;
    const personal = result.routes.filter((r) => PERSONAL.includes(r.route)).length;
    rollup.personal.runs += personal;
    if (personal > 0) rollup.personal.repositories++;
  }
  rollup.routes = [...routes]
    .map(([route, count]) => ({ route, ...count }))
    .sort((a, b) => b.runs - a.runs || (a.route < b.route ? -1 : 1));
  return rollup;
}

/** What each route bills, as the roll-up's sentence says it. */
const BILLS: Record<RouteKind, string> = {
  'api-key': 'API keys',
  'workload-identity': 'workload identity federation',
  bedrock: 'Amazon Bedrock',
  vertex: 'Google Vertex AI',
  foundry: 'Microsoft Foundry',
  'gateway-token': 'a gateway',
  'api-key-helper': 'an apiKeyHelper script',
  'subscription-oauth-token': "a person's subscription",
  'console-login': 'a stored Console login',
  'subscription-login': "a person's subscription",
  unknown: '',
};

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** The roll-up as sentences: "Claude Code runs in 41 of 1,200 repositories: 52 bill API keys, ...". */
export function rollupSentences(rollup: Rollup): string[] {
  const bills = new Map<string, number>();
  for (const r of rollup.routes) bills.set(BILLS[r.route], (bills.get(BILLS[r.route]) ?? 0) + r.runs);
  const parts = [...bills]
    .filter(([what]) => what !== '')
    .map(([what, runs]) =>
      what === BILLS['subscription-oauth-token']
        ? `${count(runs)} bill ${what} in ${plural(rollup.personal.repositories, 'repository', 'repositories')}`
        : `${count(runs)} bill ${what}`,
    );
  const unknown = bills.get('') ?? 0;
  if (unknown > 0) parts.push(`${count(unknown)} ${unknown === 1 ? 'is' : 'are'} unknown`);
  const first =
    rollup.runs === 0
      ? `No Claude Code runs in ${plural(rollup.read, 'repository', 'repositories')} read.`
      : `Claude Code runs in ${count(rollup.withRuns)} of ${plural(rollup.repositories, 'repository', 'repositories')}: ${parts.join(', ')}.`;
  const lines = [first];
  if (rollup.unreadable > 0)
    lines.push(
      `${plural(rollup.unreadable, 'repository', 'repositories')} could not be read (listed with the reason).`,
    );
  const { archived, forks } = rollup.leftOut;
  if (archived + forks > 0)
    lines.push(
      `Left out: ${plural(archived, 'archived repository', 'archived repositories')} and ${plural(forks, 'fork')} (--include-archived, --include-forks take them in).`,
    );
  return lines;
}

/** One route of a repository: how many runs take it and the secrets behind them. */
export interface RouteSummary {
  route: RouteKind;
  runs: number;
  secrets: string[];
}

/** A repository's routes with counts and secret names, and its worst finding. */
export function summary(result: RepositoryResult): { routes: RouteSummary[]; worst?: FindingJson } {
  const routes = new Map<RouteKind, RouteSummary>();
  for (const r of result.routes) {
    const entry = routes.get(r.route) ?? { route: r.route, runs: 0, secrets: [] };
    entry.runs++;
    for (const m of (r.credential?.source ?? '').matchAll(/\bsecrets\.([A-Za-z0-9_]+)/g))
      if (!entry.secrets.includes(m[1]!)) entry.secrets.push(m[1]!);
    routes.set(r.route, entry);
  }
  const ranked = rankFindings(result.findings.map(findingOf));
  const first = ranked[0];
  const worst =
    first &&
    result.findings.find(
      (f) =>
        f.file === first.file &&
        f.line === first.span.line &&
        f.rule === first.rule &&
        f.message === first.message,
    );
  return {
    routes: [...routes.values()].sort((a, b) => b.runs - a.runs || (a.route < b.route ? -1 : 1)),
    ...(worst ? { worst } : {}),
  };
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** `https://{server}/{owner}/{repo}/blob/{sha}/{path}#L{line}`, every part checked or percent-encoded. */
export function placeLink(
  server: string,
  result: RepositoryResult,
  file: string,
  line: number,
): string | undefined {
  if (!result.commit || !SHA.test(result.commit) || !/^https?:\/\/[^\s/?#]+$/.test(server)) return undefined;
  if (file === '' || file.startsWith('/') || file.split('/').some((part) => part === '..' || part === '.'))
    return undefined;
  return `${server}/${urlPath(result.repository)}/blob/${result.commit}/${urlPath(file)}#L${Math.max(1, Math.trunc(line))}`;
}
