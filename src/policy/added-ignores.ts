import { isMap, isScalar, parseDocument } from 'yaml';
import { SourceFile } from '../workflow/source.js';
import { readIgnores, type InlineIgnore } from './ignores.js';

/** An inline ignore of the pull request's, with the file that holds it. */
export interface AddedIgnore {
  file: string;
  ignore: InlineIgnore;
}

/**
 * Where each job of a workflow starts, in document order: a job runs from its key to the next job's key.
 * Empty for a file that is not a workflow (an action, a file that does not parse).
 */
function jobStarts(text: string): { id: string; offset: number }[] {
  const doc = parseDocument(text, { uniqueKeys: false });
  const jobs = isMap(doc.contents) ? doc.contents.get('jobs', true) : undefined;
  if (doc.errors.length > 0 || !isMap(jobs)) return [];
  return jobs.items.flatMap((pair) =>
    isScalar(pair.key) && pair.key.range ? [{ id: String(pair.key.value), offset: pair.key.range[0] }] : [],
  );
}

/** The job whose lines hold `offset`, or '' outside every job. */
function jobAt(starts: readonly { id: string; offset: number }[], offset: number): string {
  let id = '';
  for (const start of starts) if (start.offset <= offset) id = start.id;
  return id;
}

/**
 * What an ignore is, apart from where the lines around it moved: its job, its rules, its reason and the
 * code it covers (the text before the comment, or the next line for a comment on a line of its own).
 * Moving an ignore next to a new token, or into a new job, is a new ignore.
 */
function identity(
  source: SourceFile,
  jobs: readonly { id: string; offset: number }[],
  ignore: InlineIgnore,
): string {
  const own = source
    .lineText(ignore.line)
    .slice(0, ignore.span.column - 1)
    .trim();
  const coveredLine = own !== '' ? ignore.line : ignore.line + 1;
  const covered = source.lineText(coveredLine).trim();
  const job = jobAt(jobs, source.lineStart(coveredLine));
  return JSON.stringify([job, [...ignore.rules].sort(), ignore.reason, covered]);
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
    const baseJobs = jobStarts(base);
    for (const ignore of readIgnores(baseSource)) {
      const key = identity(baseSource, baseJobs, ignore);
      left.set(key, (left.get(key) ?? 0) + 1);
    }
  }
  const headJobs = jobStarts(head);
  return headIgnores.filter((ignore) => {
    const key = identity(headSource, headJobs, ignore);
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
