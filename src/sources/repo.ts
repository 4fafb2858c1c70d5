import { parseFile, type Parsed } from '../workflow/model.js';
import { SourceFile } from '../workflow/source.js';
import type { RemoteLookup } from './remote.js';

/** The repository around the scanned files: local actions, reusable workflows and settings live there. */
export interface Repo {
  /** A file by its path from the repository root; `file` is how reports name it. */
  read(relPath: string): { file: string; text: string } | undefined;
  /** Whether something the scan refuses to read is at the path (a link on the way, a special or oversized file). */
  refused?(relPath: string): boolean;
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

/** A file's text by its path from the root, and the name reports give it; undefined when it is not there. */
export type ReadText = (relPath: string) => { file: string; text: string } | undefined;

/** A composite or Docker action, or a workflow other workflows can call. */
function isCallable(made: { kind: string }): made is Parsed {
  const parsed = made as Parsed;
  return (
    parsed.kind === 'action' ||
    (parsed.kind === 'workflow' && parsed.triggers.some((t) => t.name === 'workflow_call'))
  );
}

/**
 * A repository over any reader of its files (a checkout, texts read through an API): each path is read
 * once, each file parsed once, and a file both scanned and called is modelled once.
 */
export function cachedRepo(readText: ReadText, name?: string, remote?: RemoteLookup): Repo {
  const parsed = new Map<string, Parsed | undefined>();
  // Models of files another file can call, by report name, with the text each was made from.
  const callable = new Map<string, { text: string; model: Parsed }>();
  const model = <T extends { kind: string }>(file: string, text: string, make: () => T): T | Parsed => {
    const known = callable.get(file);
    if (known && known.text === text) return known.model;
    const made = make();
    if (isCallable(made)) callable.set(file, { text, model: made });
    return made;
  };
  // Every step asks for the same settings files: each path is checked and read once per repository.
  const texts = new Map<string, { file: string; text: string } | undefined>();
  // Report name -> path from the root, so a finding's file can be read again for its inline ignores.
  const names = new Map<string, string>();
  const read = (relPath: string): { file: string; text: string } | undefined => {
    if (!texts.has(relPath)) {
      const found = readText(relPath);
      if (found) names.set(found.file, relPath);
      texts.set(relPath, found);
    }
    return texts.get(relPath);
  };
  return {
    ...(name ? { name } : {}),
    ...(remote ? { remote } : {}),
    read,
    model,
    parse(relPath) {
      if (!parsed.has(relPath)) {
        const found = read(relPath);
        parsed.set(
          relPath,
          found ? model(found.file, found.text, () => parseFile(found.file, found.text)) : undefined,
        );
      }
      return parsed.get(relPath);
    },
    source(file) {
      const relPath = names.get(file);
      if (relPath === undefined) return undefined;
      const known = parsed.get(relPath);
      if (known) return known.source;
      const found = read(relPath);
      return found ? new SourceFile(found.file, found.text) : undefined;
    },
  };
}
