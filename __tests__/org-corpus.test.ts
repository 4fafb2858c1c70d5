import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithCorpus, rebuild } from './corpus.js';
import { FakeGitHubOrg, type FakeRepository } from './github-org.js';
import { localEntry, org, repository } from './org-helpers.js';

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
  beforeAll(async () => {
    ({ project } = corpusOrganisation(fake, 300));
    api = await fake.start();
  });
  afterAll(() => fake.stop());

  it('gives every repository the rows a local scan of its files gives, within half a request per repository', async () => {
    // The third request meets a secondary rate limit with retry-after: the client waits and asks again.
    fake.secondaryAt.add(3);
    const run = await org(api, ['org', 'acme', '--format', 'json']);
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
        reason: 'the token may not read it (Resource not accessible by integration)',
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
});
