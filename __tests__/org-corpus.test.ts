import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describeWithCorpus, rebuild } from './corpus.js';
import { FakeGitHubOrg, type FakeRepository } from './github-org.js';
import { commitOf, filesUnder, localEntry, org, repository } from './org-helpers.js';

/** The real and bulk corpora rebuilt into their repositories, served `count` strong (copies named apart). */
export function corpusOrganisation(
  fake: FakeGitHubOrg,
  count: number,
): { project: Map<string, FakeRepository> } {
  const projects: FakeRepository[] = [];
  for (const corpus of ['real', 'bulk'] as const) {
    const { root, files } = rebuild(corpus);
    for (const [project, paths] of [...files].sort(([a], [b]) => (a < b ? -1 : 1)))
      projects.push(
        repository(
          `acme/${corpus}--${project}`,
          Object.fromEntries(paths.map((path) => [path, readFileSync(join(root, project, path))])),
        ),
      );
  }
  const project = new Map<string, FakeRepository>();
  for (let i = 0; i < count; i++) {
    const source = projects[i % projects.length]!;
    const copy = Math.floor(i / projects.length);
    const name = `${source.name}--${copy + 1}`;
    // Every 23rd archived, every 29th a fork, one the token may not read.
    fake.add({
      ...source,
      name,
      ...(i % 23 === 22 ? { archived: true } : {}),
      ...(i % 29 === 28 ? { fork: true } : {}),
      ...(i === 100 ? { forbidden: true } : {}),
    });
    project.set(name, source);
  }
  return { project };
}

describeWithCorpus('org against 300 repositories built from the corpus', () => {
  const fake = new FakeGitHubOrg();
  let api = '';
  let project: Map<string, FakeRepository>;
  // The first run's results, kept for the runs after it.
  const store = mkdtempSync(join(tmpdir(), 'crg-org-store-'));
  let whole = '';
  beforeAll(async () => {
    ({ project } = corpusOrganisation(fake, 300));
    api = await fake.start();
  });
  afterAll(() => fake.stop());

  it('gives every repository the rows a local scan of its files gives, within half a request per repository', async () => {
    // The third request meets a secondary rate limit with retry-after: the client waits and asks again.
    fake.secondaryAt.add(3);
    const run = await org(api, ['org', 'acme', '--format', 'json', '--out', store]);
    whole = run.out;
    expect(fake.failures).toEqual([]);
    const json = JSON.parse(run.out) as {
      repositories: { repository: string; commit: string; routes: unknown[]; findings: unknown[] }[];
      unreadable: unknown[];
      rollup: { repositories: number; leftOut: unknown };
    };
    const taken = [...fake.repositories.values()].filter((r) => !r.archived && !r.fork);
    expect(json.rollup.leftOut).toEqual({
      archived: [...fake.repositories.values()].filter((r) => r.archived).length,
      forks: [...fake.repositories.values()].filter((r) => r.fork && !r.archived).length,
    });
    expect(json.unreadable).toEqual([
      {
        repository: taken.find((r) => r.forbidden)!.name,
        reason: 'the token may not read it (a GitHub App installation that does not grant it)',
      },
    ]);
    // One local scan per distinct repository: its copies hold the same files.
    const local = new Map<FakeRepository, object>();
    const expected = taken
      .filter((r) => !r.forbidden)
      .map((r) => {
        const source = project.get(r.name)!;
        if (!local.has(source)) local.set(source, localEntry(source));
        return { ...local.get(source), repository: r.name };
      })
      .sort((a, b) => (a.repository.toLowerCase() < b.repository.toLowerCase() ? -1 : 1));
    expect(json.repositories).toEqual(expected);
    expect(json.repositories.filter((r) => r.routes.length > 0).length).toBeGreaterThan(100);
    // Everything counted: the listing's pages, both rounds, the retry after the secondary limit.
    expect(fake.requests.filter((r) => r.status === 403)).toHaveLength(1);
    // The client counts what it sent, a retry after a dropped connection too: at least what the fake saw.
    const sent = Number(/; (\d+) GitHub API requests\./.exec(run.err)?.[1]);
    expect(sent).toBeGreaterThanOrEqual(fake.requests.length);
    expect(sent).toBeLessThanOrEqual(0.5 * fake.repositories.size);
    expect(run.code).toBe(1);
  }, 300_000);

  it('merges shards 1/3, 2/3 and 3/3 into what one run writes, in every format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-org-shards-'));
    const shards: string[] = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const file = join(dir, `shard-${shard[0]}.json`);
      // Each shard keeps the whole run's stored results (no head has moved), so the 300 are scanned once
      // in this file; the hand-made test in org.test.ts reads each shard afresh.
      writeFileSync(
        file,
        (await org(api, ['org', 'acme', '--shard', shard, '--format', 'json', '--out', store])).out,
      );
      shards.push(file);
    }
    const formats = async (args: string[], out: string): Promise<Record<string, string>> => {
      const all: Record<string, string> = {};
      for (const format of ['text', 'markdown', 'csv', 'json'])
        all[format] = (await org(api, [...args, '--format', format])).out;
      await org(api, [...args, '--format', 'sarif', '--out', out]);
      for (const file of filesUnder(join(out, 'sarif')))
        all[relative(out, file)] = readFileSync(file, 'utf8');
      return all;
    };
    // The whole run's other formats come from its stored results: the heads have not moved.
    const one = await formats(['org', 'acme', '--out', store], store);
    expect(one.json).toEqual(whole);
    const merged = await formats(['merge', ...shards], mkdtempSync(join(tmpdir(), 'crg-org-merged-')));
    expect(Object.keys(merged).length).toBeGreaterThan(250);
    expect(Object.keys(merged).sort()).toEqual(Object.keys(one).sort());
    for (const format of Object.keys(one)) expect([format, merged[format]]).toEqual([format, one[format]]);
  }, 300_000);

  it('reads file text again only from the repositories whose head moved, and all of those', async () => {
    const names = [...fake.repositories.values()]
      .filter((r) => !r.archived && !r.fork && !r.forbidden)
      .map((r) => r.name);
    const moved = names.filter((_, i) => i % 37 === 5);
    for (const name of moved) {
      const repo = fake.repositories.get(name.toLowerCase())!;
      const files = new Map(repo.files);
      files.set(
        '.github/workflows/added.yml',
        'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: claude -p hi\n',
      );
      fake.add({ ...repo, files, commit: commitOf(files) });
    }
    fake.requests.length = 0;
    const run = await org(api, ['org', 'acme', '--format', 'json', '--out', store]);
    // (The repository the token may not read has no stored result: it is asked for again, and GitHub
    // refuses it before any file.)
    expect([...fake.fileRequestsOf()].sort()).toEqual([...moved].sort());
    expect(run.err).toContain(
      `${moved.length} read, ${names.length - moved.length} unchanged since the last run`,
    );
    const json = JSON.parse(run.out) as { repositories: { repository: string }[] };
    for (const name of moved)
      expect(json.repositories.find((r) => r.repository === name)).toEqual({
        ...localEntry(fake.repositories.get(name.toLowerCase())!),
      });
  }, 300_000);
});
