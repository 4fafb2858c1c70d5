/**
 * The mutation run's own bookkeeping: the equivalent mutants listed in stryker.config.mjs are exactly those
 * switched off in src/, each on one line, for one mutator, with the same reason.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers.js';

interface Equivalent {
  file: string;
  mutator: string;
  reason: string;
}

/** Read in a child process: the config sets the mutation run's environment when it loads. */
function listedInConfig(): Equivalent[] {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { EQUIVALENT_MUTANTS } = await import('./stryker.config.mjs'); console.log(JSON.stringify(EQUIVALENT_MUTANTS));",
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(out) as Equivalent[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every Stryker comment in src/, whatever its form, so a wholesale one cannot hide from the check. */
function commentsInSource(): { file: string; text: string }[] {
  return sourceFiles(join(ROOT, 'src')).flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => /\/\/\s*Stryker\b/i.test(line))
      .map((line) => ({ file: relative(ROOT, path), text: line.trim() })),
  );
}

describe('equivalent mutants', () => {
  it('are switched off one line and one mutator at a time, each with a reason', () => {
    for (const comment of commentsInSource()) {
      expect(comment.text).toMatch(/^\/\/ Stryker disable next-line [A-Za-z]+(,[A-Za-z]+)*: \S.{9,}$/);
    }
  });

  it('are the ones the Stryker config lists, with the same reasons', () => {
    const inSource = commentsInSource().map(({ file, text }): Equivalent => {
      const [, mutator, reason] = /^\/\/ Stryker disable next-line ([A-Za-z]+(?:,[A-Za-z]+)*): (.*)$/.exec(
        text,
      )!;
      return { file, mutator: mutator!, reason: reason! };
    });
    const byPlace = (a: Equivalent, b: Equivalent): number =>
      `${a.file} ${a.mutator} ${a.reason}`.localeCompare(`${b.file} ${b.mutator} ${b.reason}`, 'en');
    expect(inSource.sort(byPlace)).toEqual(listedInConfig().sort(byPlace));
  });
});
