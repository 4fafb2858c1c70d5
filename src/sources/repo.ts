import type { Parsed } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';
import type { RemoteLookup } from './remote.js';

/** The repository around the scanned files: local actions, reusable workflows and settings live there. */
export interface Repo {
  /** A file by its path from the repository root; `file` is how reports name it. */
  read(relPath: string): { file: string; text: string } | undefined;
  parse(relPath: string): Parsed | undefined;
  /**
   * The model of a scanned file, made once: a file that is both scanned and called (a composite action,
   * a reusable workflow) is parsed for whichever comes first, and reused only while its text is the same.
   */
  model?<T extends { kind: string }>(file: string, text: string, make: () => T): T | Parsed;
  /** The text of a file this repository has read, by the name reports give it (for its inline ignores). */
  source?(file: string): SourceFile | undefined;
  /** `owner/name` of the repository, when known: `uses: owner/name/path@ref` then resolves locally. */
  name?: string;
  /** Callees in other repositories, read before the scan; absent offline, and their calls stay opaque. */
  remote?: RemoteLookup;
}
