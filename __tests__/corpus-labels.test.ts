import { expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFiles } from '../src/load.js';
import { scan, type RouteRow } from '../src/scan.js';
import { parseFile } from '../src/workflow/model.js';
import { describeWithCorpus, rebuildReal } from './corpus.js';
import { ROOT } from './helpers.js';

/**
 * The per-job labels of the real corpus (read by hand, file by file, in each repository's tree) against
 * the engine. A job is right when it has at least one row and every row has a labelled route; a job
 * labelled `none` is right when it has no row.
 */
interface Label {
  file: string;
  job: string;
  routes: Set<string>;
}

function labels(): Label[] {
  return readFileSync(join(ROOT, '__tests__', 'corpus-labels.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [file, job, routes] = line.split('\t') as [string, string, string];
      return { file, job, routes: new Set(routes.split(',')) };
    });
}

// The body reads the corpus as it builds its tests, so a missing corpus must skip before it runs.
describeWithCorpus('the labelled jobs of the real corpus', () => {
  const rows = new Map<string, RouteRow[]>();
  const jobs = new Map<string, string[]>();
  for (const f of rebuildReal()) {
    const report = scan(loadFiles([f.path], { cwd: f.root, repoName: f.repo }, []));
    const parsed = parseFile(f.path, readFileSync(join(f.root, f.path), 'utf8'));
    jobs.set(
      f.file,
      parsed.kind === 'workflow'
        ? parsed.jobs.map((j) => j.id)
        : parsed.kind === 'action'
          ? ['(composite)']
          : [],
    );
    for (const r of report.routes) {
      const key = `${f.file}\t${r.job}`;
      rows.set(key, [...(rows.get(key) ?? []), r]);
    }
  }
  const table = labels();

  it('labels every job of every file once', () => {
    const labelled = table.map((l) => `${l.file}\t${l.job}`);
    const all = [...jobs].flatMap(([file, ids]) => ids.map((id) => `${file}\t${id}`));
    expect(new Set(labelled).size).toBe(labelled.length);
    expect(labelled.sort()).toEqual(all.sort());
  });

  it('gives at least 95% of the jobs the labelled route, and no row to a job without a Claude run', () => {
    const wrong: string[] = [];
    for (const label of table) {
      const found = rows.get(`${label.file}\t${label.job}`) ?? [];
      const none = label.routes.has('none');
      const right = none
        ? found.length === 0
        : found.length > 0 && found.every((r) => label.routes.has(r.route));
      if (!right)
        wrong.push(
          `${label.file} ${label.job}: want ${[...label.routes].join(',')}, got ${found.map((r) => `${r.route}@${r.line}`).join(' ') || 'no row'}`,
        );
    }
    const accuracy = (table.length - wrong.length) / table.length;
    console.log(
      `labelled real corpus: ${table.length - wrong.length}/${table.length} jobs right (${(accuracy * 100).toFixed(1)}%)` +
        wrong.map((w) => `\n  ${w}`).join(''),
    );
    // The misses are listed so a change that moves one shows which.
    expect({ accuracy: accuracy >= 0.95, wrong }).toEqual({ accuracy: true, wrong: expect.any(Array) });
    expect(wrong.filter((w) => w.includes('want none'))).toEqual([]);
    expect(wrong.length).toBeLessThanOrEqual(Math.floor(table.length * 0.05));
  });
});
