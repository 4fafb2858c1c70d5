import { lstatSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as core from '../runner.js';
import { isWithin, writeInside } from '../files.js';
import { DEFAULT_MAX_BYTES, parseSize, UsageError } from '../load.js';
import { jsonText, logText } from '../report/escape.js';
import type { InventoryDocument } from '../report/inventory.js';
import { inventoryCsv, inventoryJsonPieces, inventoryMarkdown } from '../report/inventory-formats.js';
import { inventoryOf, storeKey } from './cli.js';
import { isOwnerName } from './listing.js';
import { mergeInventories } from './merge.js';
import { parseShard } from './shard.js';
import { ResultStore } from './store.js';

const DEFAULT_DIR = 'claude-route-guard-inventory';
const MAX_REQUESTS = 5000;

function booleanInput(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).toLowerCase();
  if (raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false')
    throw new UsageError(`input ${name} must be true or false, not "${raw}"`);
  return raw === 'true';
}

/** Every .json file under a folder (download-artifact puts each artifact in a folder of its own). */
function jsonUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => {
      if (e.isDirectory()) return jsonUnder(join(folder, e.name));
      return e.isFile() && e.name.endsWith('.json') ? [join(folder, e.name)] : [];
    });
}

/** The inventory JSON files `merge` names: files, or every .json file under a folder. */
function mergeFiles(workspace: string, raw: string): string[] {
  const files: string[] = [];
  for (const entry of raw
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const absolute = resolve(workspace, entry);
    const stat = lstatSync(absolute, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`input merge: ${entry}: no such file or folder`);
    if (stat.isDirectory()) files.push(...jsonUnder(absolute));
    else files.push(absolute);
  }
  if (files.length === 0) throw new UsageError('input merge names no inventory JSON file');
  return files;
}

/** The JSON and CSV beside the stored results, for actions/upload-artifact; their paths are the outputs. */
function writeFiles(doc: InventoryDocument, dir: string, bases: string[]): void {
  for (const [name, pieces, output] of [
    ['inventory.json', jsonPiecesWithEnd(doc), 'inventory-json'],
    ['inventory.csv', csvLines(doc), 'inventory-csv'],
  ] as const) {
    const written = writeInside(bases, join(dir, name), pieces);
    if ('refused' in written) throw new UsageError(`${join(dir, name)} was not written: ${written.refused}`);
    core.setOutput(output, written.written);
  }
}

function* jsonPiecesWithEnd(doc: InventoryDocument): Generator<string> {
  for (const piece of inventoryJsonPieces(doc)) yield jsonText(piece);
  yield '\n';
}

function* csvLines(doc: InventoryDocument): Generator<string> {
  for (const line of inventoryCsv(doc)) yield `${line}\n`;
}

/**
 * The action's organisation mode (input `organization`, with `shard`), or the merge of shards' JSON
 * (input `merge`): the Markdown roll-up to the job summary, the JSON and CSV as files. Repositories that
 * could not be read are a warning with the count; the summary lists each with the reason.
 */
export async function runInventoryAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let store: ResultStore | undefined;
  try {
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const bases = [workspace, env.RUNNER_TEMP || tmpdir()];
    const dir = resolve(workspace, core.getInput('inventory-dir') || DEFAULT_DIR);
    if (!bases.some((base) => isWithin(base, dir)))
      throw new UsageError('input inventory-dir must be inside the workspace or RUNNER_TEMP');
    const organization = core.getInput('organization');
    const merge = core.getInput('merge');
    const token = core.getInput('github-token');
    if (token) core.setSecret(token);
    let doc: InventoryDocument;
    let notes: string[] = [];
    if (merge) {
      store = ResultStore.open(undefined, 'merge');
      doc = mergeInventories(
        mergeFiles(workspace, merge).map((absolute) => ({ file: absolute, absolute })),
        store,
      );
    } else {
      if (!isOwnerName(organization))
        throw new UsageError(`input organization must be an organisation or a user, not "${organization}"`);
      if (!token)
        throw new UsageError('input github-token is empty: the inventory reads through the GitHub API');
      const maxBytes = parseSize(core.getInput('max-file-size'), 'input max-file-size') ?? DEFAULT_MAX_BYTES;
      const resolveRemote = booleanInput('resolve-remote', true);
      const shard = core.getInput('shard') ? parseShard(core.getInput('shard'), 'input shard') : undefined;
      // The stored results live beside the files: restored by actions/cache, the next run reads only what moved.
      store = ResultStore.open(dir, storeKey(maxBytes, resolveRemote));
      const result = await inventoryOf({
        owner: organization,
        env: { ...env, CI: 'true' },
        token,
        maxRequests: MAX_REQUESTS,
        maxBytes,
        store,
        resolveRemote,
        includeArchived: booleanInput('include-archived', false),
        includeForks: booleanInput('include-forks', false),
        ...(shard ? { shard } : {}),
      });
      doc = result.doc;
      notes = result.run.notes;
      core.info(`Inventory of ${logText(organization)}: ${result.api.requests} GitHub API request(s).`);
    }
    writeFiles(doc, dir, bases);
    const summary = inventoryMarkdown(doc);
    if (env.GITHUB_STEP_SUMMARY) core.appendSummary(env.GITHUB_STEP_SUMMARY, summary);
    else for (const line of summary.split('\n')) core.info(logText(line));
    for (const note of notes) core.warning(logText(note));
    if (doc.unreadable.length > 0)
      core.warning(
        `${doc.unreadable.length} repositories could not be read; the job summary lists each with the reason.`,
      );
  } catch (error) {
    core.setFailed(
      error instanceof UsageError ? error.message : `claude-route-guard: ${(error as Error).message}`,
    );
  } finally {
    store?.dispose();
  }
}
