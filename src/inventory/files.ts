import { DEFAULT_SCAN, defaultScanFiles, type TreeEntry } from '../default-scan.js';
import { DEFAULT_MAX_BYTES } from '../load.js';

export type EntryKind = TreeEntry['kind'];

export interface Entry {
  kind: EntryKind;
  /** Bytes, for a file. */
  size: number;
}

/** A scanned file that is no text for the engine: over the size limit, or not UTF-8 text (with the place). */
export type ScannedProblem =
  { tooLarge: number } | { unreadable: { problem: string; line: number; column: number } };

/**
 * What has been read of one repository at one commit: folders listed whole, file texts (null when the
 * path holds no readable text file), and the scanned files that are not text. What it does not know is
 * what the engine is told is missing until it has been read.
 */
export class RepositoryFiles {
  readonly folders = new Map<string, Map<string, Entry>>();
  readonly texts = new Map<string, string | null>();
  readonly problems = new Map<string, ScannedProblem>();

  /** A file's text for the engine (as a checkout's reader gives it), null when there is none, undefined when not known yet. */
  lookup(path: string): string | null | undefined {
    if (this.texts.has(path)) {
      const text = this.texts.get(path)!;
      // The reader of a checkout takes no file over the default limit, whatever limit the scan was given.
      return text !== null && Buffer.byteLength(text) > DEFAULT_MAX_BYTES ? null : text;
    }
    const parts = path.split('/');
    // The nearest folder on the way that was listed whole decides what is not there.
    for (let depth = parts.length - 1; depth >= 0; depth--) {
      const listing = this.folders.get(parts.slice(0, depth).join('/'));
      if (!listing) continue;
      const entry = listing.get(parts[depth]!);
      if (!entry) return null;
      if (depth === parts.length - 1)
        return entry.kind === 'file' && entry.size <= DEFAULT_MAX_BYTES ? undefined : null;
      return entry.kind === 'folder' ? undefined : null;
    }
    return undefined;
  }

  /** Forgets the file texts once the repository's result is stored: its group's texts are no longer held. */
  releaseTexts(): void {
    this.texts.clear();
  }

  /** The entry at a path, when its folder was listed. */
  entry(path: string): Entry | undefined {
    const slash = path.lastIndexOf('/');
    return this.folders.get(slash === -1 ? '' : path.slice(0, slash))?.get(path.slice(slash + 1));
  }

  /** Every entry of the folders listed, as paths from the root. */
  *entries(): Generator<TreeEntry & Entry> {
    for (const [folder, listing] of this.folders)
      for (const [name, entry] of listing)
        yield { ...entry, path: folder === '' ? name : `${folder}/${name}` };
  }

  /** The files a default scan of this repository reads, in its order. */
  scanned(): string[] {
    return defaultScanFiles(this.entries());
  }

  /** Folders the default scan looks inside that are not listed yet. */
  unlisted(): string[] {
    const out: string[] = [];
    for (const entry of this.entries())
      if (entry.kind === 'folder' && DEFAULT_SCAN.enters(entry.path) && !this.folders.has(entry.path))
        out.push(entry.path);
    return out;
  }
}
