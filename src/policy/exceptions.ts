import type { Span } from '../types.js';
import { addedIgnores, describeIgnore, type AddedIgnore } from './added-ignores.js';
import type { BaseReader } from './base.js';
import { guardChanges } from './guard-changes.js';
import type { InlineIgnore } from './ignores.js';

/** One thing the pull request adds that relaxes the check, at its place in the PR's files. */
export interface PlacedException {
  file: string;
  span: Span;
  message: string;
}

/** The inline ignores one file had when the scan read it. */
export interface SeenIgnores {
  file: string;
  text: string;
  ignores: readonly InlineIgnore[];
}

/** Files with ignores compared with the base at most: each is one read of the base commit. */
export const MAX_COMPARED_FILES = 50;

/**
 * A reader that stops asking once the base could not be read: an API that times out would otherwise
 * cost its timeout once per file. Each later read gets the first answer's reason.
 */
export function stopAtFirstFailure(reader: BaseReader): BaseReader {
  let failed: string | undefined;
  return {
    how: reader.how,
    async read(path) {
      if (failed !== undefined) return { problem: `not asked, since an earlier read failed: ${failed}` };
      const answer = await reader.read(path);
      // A path the reader refuses says nothing about the next one; a failed request does.
      if ('problem' in answer && !/not inside the repository|a link or a folder/.test(answer.problem))
        failed = answer.problem;
      return answer;
    },
  };
}

/**
 * The ignores the base commit does not have, file by file, and what could not be compared. A file the
 * base cannot be read for, or one past the first MAX_COMPARED_FILES, is named in `problems`, never passed
 * over in silence, and its ignores are in `uncompared`: nothing says they are the base's. Where the base
 * governs (`baseGoverns`), those do not apply either, and the problem says so.
 */
export async function ignoreExceptions(
  seen: readonly SeenIgnores[],
  reader: BaseReader,
  baseGoverns = false,
): Promise<{ added: AddedIgnore[]; uncompared: AddedIgnore[]; problems: string[] }> {
  const added: AddedIgnore[] = [];
  const uncompared: AddedIgnore[] = [];
  const problems: string[] = [];
  const unapplied = baseGoverns ? '; they do not apply, since the base policy governs this run' : '';
  const keep = (file: SeenIgnores): void => {
    for (const ignore of file.ignores) uncompared.push({ file: file.file, ignore });
  };
  for (const [i, file] of seen.entries()) {
    if (i >= MAX_COMPARED_FILES) {
      const rest = seen.slice(MAX_COMPARED_FILES);
      rest.forEach(keep);
      problems.push(
        `${rest.length} more file(s) with inline ignores were not compared with the base (at most ${MAX_COMPARED_FILES} are), from ${rest[0]!.file} on${unapplied}`,
      );
      break;
    }
    const base = await reader.read(file.file);
    if ('problem' in base) {
      keep(file);
      problems.push(
        `the inline ignores in ${file.file} were not compared with the base: ${base.problem}${unapplied}`,
      );
      continue;
    }
    for (const ignore of addedIgnores(file.file, file.text, base.text))
      added.push({ file: file.file, ignore });
  }
  return { added, uncompared, problems };
}

export function ignorePlaces(added: readonly AddedIgnore[]): PlacedException[] {
  return added.map(({ file, ignore }) => ({ file, span: ignore.span, message: describeIgnore(ignore) }));
}

/** What the pull request changes in the guard's own steps of `workflow`, or why that is unknown. */
export async function workflowExceptions(
  workflow: string,
  head: string | undefined,
  reader: BaseReader,
  isGuard: (uses: string) => boolean,
): Promise<{ places: PlacedException[]; problem?: string }> {
  if (head === undefined)
    return { places: [], problem: `the workflow that runs the guard (${workflow}) could not be read` };
  const base = await reader.read(workflow);
  if ('problem' in base)
    return {
      places: [],
      problem: `the base version of the workflow that runs the guard (${workflow}) could not be read: ${base.problem}`,
    };
  return {
    places: guardChanges(base.text, head, isGuard).map((c) => ({
      file: workflow,
      span: c.span,
      message: `changes the workflow that runs the guard: ${c.message}`,
    })),
  };
}
