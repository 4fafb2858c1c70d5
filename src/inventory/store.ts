import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noLinkBelow, readRegularFile, writeInside } from '../files.js';
import { garbageTicker } from '../memory.js';
import { compareNames, type RepositoryResult } from './result.js';

const STORED_LIMIT = 512 * 1024 * 1024;

/**
 * Each repository's result on disk, one file each, so memory does not grow with the number of
 * repositories: under `--out DIR` they stay (with the commit and the settings they were read with, so the
 * next run reads again only repositories whose head moved); without it they go to a folder that is
 * removed at the end.
 */
export class ResultStore {
  private readonly held: string[] = [];
  // Rendering reads every result back, twice: their buffers are garbage at once, and collected in full
  // every so often, or V8 lets them pile up outside its heap.
  private readonly tick = garbageTicker(200);

  private constructor(
    readonly dir: string,
    private readonly key: string,
    private readonly temporary: boolean,
  ) {}

  /** The store under `dir` (created when missing), or a temporary one. `key` says what made a result. */
  static open(dir: string | undefined, key: string): ResultStore {
    if (dir === undefined) return new ResultStore(mkdtempSync(join(tmpdir(), 'crg-inventory-')), key, true);
    mkdirSync(dir, { recursive: true });
    return new ResultStore(dir, key, false);
  }

  private static path(name: string): string {
    // Names were checked to be GitHub's own form (no `/` beyond the one, no `..`).
    return `repositories/${name}.json`;
  }

  /** The result stored for `name` when it was read at `commit` with the same settings, else undefined. */
  previous(name: string, commit: string | null): RepositoryResult | undefined {
    if (this.temporary) return undefined;
    const stored = this.read(name);
    return stored && stored.key === this.key && stored.result.commit === commit ? stored.result : undefined;
  }

  put(result: RepositoryResult): void {
    const written = writeInside(
      [this.dir],
      ResultStore.path(result.repository),
      JSON.stringify({ key: this.key, result }),
    );
    if ('refused' in written)
      throw new Error(
        `${this.dir}: the result of ${result.repository} could not be stored: ${written.refused}`,
      );
    this.held.push(result.repository);
  }

  get(name: string): RepositoryResult {
    const stored = this.read(name);
    if (!stored) throw new Error(`${this.dir}: the stored result of ${name} went missing`);
    return stored.result;
  }

  /** The repositories put in this run, in the report's order. */
  names(): string[] {
    return [...new Set(this.held)].sort(compareNames);
  }

  dispose(): void {
    if (this.temporary) rmSync(this.dir, { recursive: true, force: true });
  }

  private read(name: string): { key: string; result: RepositoryResult } | undefined {
    this.tick();
    const path = join(this.dir, ResultStore.path(name));
    if (!noLinkBelow(this.dir, path)) return undefined;
    const opened = readRegularFile(path, STORED_LIMIT);
    if (!('bytes' in opened)) return undefined;
    try {
      const stored = JSON.parse(opened.bytes.toString('utf8')) as {
        key?: unknown;
        result?: RepositoryResult;
      };
      if (typeof stored.key !== 'string' || stored.result?.repository !== name) return undefined;
      return { key: stored.key, result: stored.result };
    } catch {
      return undefined;
    }
  }
}
