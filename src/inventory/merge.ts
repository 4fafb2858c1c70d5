import { readRegularFile } from '../files.js';
import { UsageError } from '../load.js';
import { rollupOf, type InventoryDocument } from '../report/inventory.js';
import { isRepositoryName, type Unreadable } from './listing.js';
import { compareNames, type RepositoryResult } from './result.js';
import type { LeftOut } from './run.js';
import type { ResultStore } from './store.js';

/** The document every format renders, over the results in `store`: one way for a run and for a merge. */
export function documentOf(
  owner: string,
  server: string,
  store: ResultStore,
  unreadable: Unreadable[],
  leftOut: LeftOut,
): InventoryDocument {
  const names = store.names();
  const get = (name: string): RepositoryResult => store.get(name);
  const rollup = rollupOf(
    (function* () {
      for (const name of names) yield get(name);
    })(),
    unreadable.length,
    leftOut,
  );
  return { owner, server, names, get, unreadable, rollup };
}

const INVENTORY_LIMIT = 1024 * 1024 * 1024;

interface InventoryJson {
  version?: unknown;
  owner?: unknown;
  server?: unknown;
  repositories?: unknown;
  unreadable?: unknown;
  rollup?: { leftOut?: { archived?: unknown; forks?: unknown } };
}

function isResult(value: unknown): value is RepositoryResult {
  const r = value as RepositoryResult | null;
  return (
    typeof r?.repository === 'string' &&
    isRepositoryName(r.repository) &&
    (r.commit === null || typeof r.commit === 'string') &&
    Array.isArray(r.routes) &&
    Array.isArray(r.findings)
  );
}

function isUnreadable(value: unknown): value is Unreadable {
  const u = value as Unreadable | null;
  return typeof u?.repository === 'string' && typeof u.reason === 'string';
}

/**
 * Shards' inventory JSON as one document: the repositories of all, each once, and the left-out counts
 * summed, so every format comes out as one run over the whole owner would have written it.
 */
export function mergeInventories(
  files: { file: string; absolute: string }[],
  store: ResultStore,
): InventoryDocument {
  let owner: string | undefined;
  let server: string | undefined;
  const seen = new Map<string, string>();
  const unreadable: Unreadable[] = [];
  const leftOut: LeftOut = { archived: 0, forks: 0 };
  for (const { file, absolute } of files) {
    const opened = readRegularFile(absolute, INVENTORY_LIMIT, { followLink: true });
    if (!('bytes' in opened)) throw new UsageError(`${file}: ${opened.problem}`);
    let json: InventoryJson;
    try {
      json = JSON.parse(opened.bytes.toString('utf8')) as InventoryJson;
    } catch (error) {
      throw new UsageError(`${file}: not JSON (${(error as Error).message})`);
    }
    const archived = json.rollup?.leftOut?.archived;
    const forks = json.rollup?.leftOut?.forks;
    if (
      json.version !== 1 ||
      typeof json.owner !== 'string' ||
      typeof json.server !== 'string' ||
      !Array.isArray(json.repositories) ||
      !json.repositories.every(isResult) ||
      !Array.isArray(json.unreadable) ||
      !json.unreadable.every(isUnreadable) ||
      typeof archived !== 'number' ||
      typeof forks !== 'number'
    )
      throw new UsageError(`${file}: not an inventory (claude-route-guard org --format json, version 1)`);
    if (owner !== undefined && (json.owner.toLowerCase() !== owner.toLowerCase() || json.server !== server))
      throw new UsageError(
        `${file}: an inventory of ${json.owner} at ${json.server}, not of ${owner} at ${server}`,
      );
    owner ??= json.owner;
    server ??= json.server;
    leftOut.archived += archived;
    leftOut.forks += forks;
    for (const entry of [...json.repositories, ...json.unreadable]) {
      const key = entry.repository.toLowerCase();
      if (seen.has(key))
        throw new UsageError(
          `${file}: ${entry.repository} is in ${seen.get(key)} too; merge each shard once`,
        );
      seen.set(key, file);
    }
    for (const result of json.repositories) store.put(result);
    unreadable.push(...json.unreadable);
  }
  unreadable.sort((a, b) => compareNames(a.repository, b.repository));
  return documentOf(owner!, server!, store, unreadable, leftOut);
}
