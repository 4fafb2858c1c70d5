import { opendirSync } from 'node:fs';
import { isWithin, noLinkBelow, readRegularFile } from '../files.js';

/** Settings, login and profile files are small; anything larger is not one, and is not read. */
const JSON_LIMIT = 1024 * 1024;

/**
 * A file's text: undefined when absent, null when present but unreadable. The repository's files are the
 * pull request's: a link there is not followed. The user's own files (home, system folders) may be links.
 */
export function readText(path: string, workspace: string, limit = JSON_LIMIT): string | null | undefined {
  const inWorkspace = isWithin(workspace, path);
  if (inWorkspace && !noLinkBelow(workspace, path)) return null;
  const opened = readRegularFile(path, limit, { followLink: !inWorkspace });
  if ('problem' in opened) return opened.problem.endsWith('ENOENT') ? undefined : null;
  return opened.bytes.toString('utf8');
}

/** A JSON file's contents: undefined when absent, null when present but unreadable or not JSON. */
export function readJson(path: string, workspace: string, limit = JSON_LIMIT): unknown {
  const text = readText(path, workspace, limit);
  if (text === undefined || text === null) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null; // present but unreadable: still a fact, with no contents
  }
}

/** How many entries of a folder are looked at: past that, the rest of the folder is not listed. */
const ENTRY_LIMIT = 4096;

/**
 * The `*.json` names in a folder, sorted, hidden ones left out, at most `limit` of them: a variable can
 * point the probe at any folder, and a folder of a million files must not become a million reads.
 */
export function jsonNames(dir: string, workspace: string, limit: number): string[] {
  if (isWithin(workspace, dir) && !noLinkBelow(workspace, dir)) return [];
  const names: string[] = [];
  try {
    const folder = opendirSync(dir);
    try {
      for (
        let seen = 0, entry = folder.readSync();
        entry && seen < ENTRY_LIMIT;
        entry = folder.readSync(), seen++
      )
        if (entry.name.endsWith('.json') && !entry.name.startsWith('.')) names.push(entry.name);
    } finally {
      folder.closeSync();
    }
  } catch {
    return [];
  }
  return names.sort().slice(0, limit);
}
