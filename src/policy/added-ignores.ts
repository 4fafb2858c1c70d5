import { SourceFile } from '../workflow/source.js';
import { readIgnores, type InlineIgnore } from './ignores.js';

/** An inline ignore of the pull request's, with the file that holds it. */
export interface AddedIgnore {
  file: string;
  ignore: InlineIgnore;
}

/**
 * What an ignore is, apart from where the lines around it moved: its rules, its reason and the code it
 * covers (the text before the comment, or the next line for a comment on a line of its own). Moving an
 * ignore next to a new token is a new ignore.
 */
function identity(source: SourceFile, ignore: InlineIgnore): string {
  const own = source
    .lineText(ignore.line)
    .slice(0, ignore.span.column - 1)
    .trim();
  const covered = own !== '' ? own : source.lineText(ignore.line + 1).trim();
  return JSON.stringify([[...ignore.rules].sort(), ignore.reason, covered]);
}

/**
 * The ignores of `head` that the base version of the same file does not have (`base` null: the file is
 * new, so all of them). Counted as a multiset, so a second copy of an existing ignore is new too.
 */
export function addedIgnores(file: string, head: string, base: string | null): InlineIgnore[] {
  const headSource = new SourceFile(file, head);
  const headIgnores = readIgnores(headSource);
  if (headIgnores.length === 0) return [];
  const left = new Map<string, number>();
  if (base !== null) {
    const baseSource = new SourceFile(file, base);
    for (const ignore of readIgnores(baseSource)) {
      const key = identity(baseSource, ignore);
      left.set(key, (left.get(key) ?? 0) + 1);
    }
  }
  return headIgnores.filter((ignore) => {
    const key = identity(headSource, ignore);
    const count = left.get(key) ?? 0;
    if (count === 0) return true;
    left.set(key, count - 1);
    return false;
  });
}

export function describeIgnore(ignore: InlineIgnore): string {
  const reason = ignore.reason ? ` ("${ignore.reason}")` : ' (no reason given)';
  return `adds an inline ignore of ${ignore.rules.join(', ') || 'no rule'}${reason}, which the base does not have`;
}
