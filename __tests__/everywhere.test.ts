import { describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeWithCorpus, rebuild } from './corpus.js';
import { runAction } from './action-run.js';
import { cliAt, FIXTURES, jsonReportAt, tempFolder } from './helpers.js';

const EVERYWHERE = join(FIXTURES, 'everywhere');
const ALLOW_OUTCOMES = join(FIXTURES, 'allow-outcomes');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every `file` and `jobFile` of a JSON report made absolute from the folder the CLI ran in. */
function absoluteFiles(value: Json, cwd: string): Json {
  if (Array.isArray(value)) return value.map((v) => absoluteFiles(v, cwd));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      (key === 'file' || key === 'jobFile') && typeof v === 'string'
        ? resolve(cwd, v)
        : absoluteFiles(v, cwd),
    ]),
  );
}

/** The JSON report of a scan from `cwd`, with its files made absolute, and the exit code. */
function jsonAt(cwd: string, args: string[]): { code: number; report: Json } {
  const { code, out, err } = cliAt(cwd, [...args, '--format', 'json', '--fail-on', 'never']);
  // Nothing on stderr but the one note on remote workflows not followed, said the same from anywhere.
  expect(err.split('\n').filter((l) => l !== '' && !l.includes('--resolve-remote reads them'))).toEqual([]);
  return { code, report: absoluteFiles(JSON.parse(out) as Json, cwd) };
}

/** The same repository scanned from inside it and named from the folder above it. */
function insideAndOutside(repository: string, args: string[] = []): { inside: Json; outside: Json } {
  const inside = jsonAt(repository, args);
  const outside = jsonAt(join(repository, '..'), [repository.split('/').pop()!, ...args]);
  expect(outside.code).toBe(inside.code);
  return { inside: inside.report, outside: outside.report };
}

/** A copy of a fixture repository whose git origin names it, as a clone has. */
function clone(fixture: string, origin: string): string {
  const parent = tempFolder();
  const copy = join(parent, origin.split('/')[1]!);
  cpSync(fixture, copy, { recursive: true });
  mkdirSync(join(copy, '.git'));
  writeFileSync(
    join(copy, '.git', 'config'),
    `[remote "origin"]\n\turl = https://github.com/${origin}.git\n`,
  );
  return copy;
}

describe('a repository named from outside it', () => {
  it('gives the JSON a scan from inside gives, with paths from the folder the CLI runs in', () => {
    const { inside, outside } = insideAndOutside(EVERYWHERE, ['--repo', 'octo/everywhere']);
    expect(outside).toEqual(inside);
    // Not only equal once resolved: printed from the parent folder, the paths start at it.
    const printed = jsonReportAt(FIXTURES, ['everywhere', '--repo', 'octo/everywhere']);
    expect(printed.routes[0]!.file).toBe('everywhere/.github/workflows/review.yml');
  });

  it('reads its own owner/name/...@ref calls locally through its own git origin, not the current folder’s', () => {
    const copy = clone(EVERYWHERE, 'octo/everywhere');
    const { inside, outside } = insideAndOutside(copy);
    expect(outside).toEqual(inside);
    const self = jsonReportAt(join(copy, '..'), ['everywhere']).routes.filter((r) => r.job === 'call-self');
    expect(self.map((r) => [r.route, r.certainty, r.verdict])).toEqual([
      ['api-key', 'known', 'warning: secret-unavailable-on-trigger'],
    ]);
  });

  it('the policy fixture and the main fixture repository answer the same from both places', () => {
    const policy = insideAndOutside(ALLOW_OUTCOMES);
    expect(policy.outside).toEqual(policy.inside);
    const repo = insideAndOutside(join(FIXTURES, 'repo'));
    expect(repo.outside).toEqual(repo.inside);
  });

  it('is scanned as the repository: an example under docs/ is left out, and read when docs/ is named', () => {
    const repository = jsonReportAt(FIXTURES, ['everywhere', '--repo', 'octo/everywhere']);
    expect(repository.routes.some((r) => r.file.includes('/docs/'))).toBe(false);
    const docs = jsonReportAt(FIXTURES, ['everywhere/docs']);
    expect(docs.routes.map((r) => [r.file, r.line, r.column, r.job, r.route, r.certainty])).toEqual([
      ['everywhere/docs/example.yml', 9, 15, 'assistant', 'subscription-oauth-token', 'known'],
    ]);
  });

  it('--repo with paths in two repositories is a usage error; without it each uses its own origin', () => {
    const parent = join(clone(EVERYWHERE, 'octo/everywhere'), '..');
    cpSync(join(parent, 'everywhere'), join(parent, 'elsewhere'), { recursive: true });
    writeFileSync(
      join(parent, 'elsewhere', '.git', 'config'),
      '[remote "origin"]\n\turl = https://github.com/octo/elsewhere.git\n',
    );
    const both = cliAt(parent, ['everywhere', 'elsewhere', '--repo', 'octo/everywhere']);
    expect(both.code).toBe(2);
    expect(both.err).toBe(
      "claude-route-guard: --repo octo/everywhere names one repository, but the paths lie in 2 (everywhere, elsewhere); scan them one at a time, or leave out --repo to read each one's git origin",
    );
    // `elsewhere` calls octo/everywhere's workflow: another repository's, not followed without the network.
    const rows = jsonReportAt(parent, ['everywhere', 'elsewhere']).routes.filter(
      (r) => r.job === 'call-self',
    );
    expect(rows.map((r) => [r.file, r.route, r.certainty])).toEqual([
      ['everywhere/.github/workflows/review.yml', 'api-key', 'known'],
      ['elsewhere/.github/workflows/review.yml', 'api-key', 'inferred'],
    ]);
  });
});

describe('a repository of actions (issue 23 item 8)', () => {
  const MONOREPO = join(FIXTURES, 'action-monorepo');

  it('is scanned for its action.yml files alike from inside, from outside and by the action', async () => {
    const { inside, outside } = insideAndOutside(MONOREPO);
    expect(outside).toEqual(inside);
    const rows = (inside as { routes: { file: string }[] }).routes.map((r) => r.file);
    expect(rows).toEqual(
      ['.github/workflows/review.yml', 'action.yml', 'claude-review/action.yml'].map((f) =>
        join(MONOREPO, f),
      ),
    );
    // The action reads the workspace the same way: the rows it outputs are the CLI's.
    const run = await runAction(
      { 'fail-on': 'never', 'runtime-check': 'false', 'resolve-remote': 'false' },
      { GITHUB_WORKSPACE: MONOREPO },
    );
    expect(run.status).toBe(0);
    const cli = JSON.parse(cliAt(MONOREPO, ['--format', 'json', '--fail-on', 'never']).out) as {
      routes: unknown[];
      skipped: unknown[];
    };
    expect(JSON.parse(run.outputs.routes!) as unknown).toEqual(cli.routes);
    expect(cli.skipped).toEqual([
      {
        file: '.github/workflows/archive/old-claude.yml',
        reason: 'in a sub-folder of .github/workflows, where GitHub runs no workflow, so nothing in it runs',
      },
    ]);
  });

  it('with only action.yml files is a repository to scan, not a usage error', () => {
    const parent = tempFolder();
    const only = join(parent, 'only-actions');
    mkdirSync(join(only, '.git'), { recursive: true });
    cpSync(join(MONOREPO, 'claude-review'), join(only, 'claude-review'), { recursive: true });
    const { inside, outside } = insideAndOutside(only);
    expect(outside).toEqual(inside);
    expect(
      (inside as { routes: { file: string; certainty: string }[] }).routes.map((r) => [r.file, r.certainty]),
    ).toEqual([[join(only, 'claude-review/action.yml'), 'inferred']]);
  });
});

describeWithCorpus('every repository of the real corpus, from inside and from outside', () => {
  const { root, files } = rebuild('real');
  const repositories = [...files.keys()].sort();
  // As a clone has it: each repository's git origin names it, so its own owner/name/...@ref calls resolve.
  for (const name of repositories) {
    mkdirSync(join(root, name, '.git'), { recursive: true });
    const origin = name.replace('__', '/');
    writeFileSync(
      join(root, name, '.git', 'config'),
      `[remote "origin"]\n\turl = https://github.com/${origin}.git\n`,
    );
  }

  it('gives the same rows, routes, findings, verdicts and positions', () => {
    const differing: string[] = [];
    let rows = 0;
    for (const name of repositories) {
      const inside = cliAt(join(root, name), ['--format', 'json', '--fail-on', 'never']);
      const outside = cliAt(root, [name, '--format', 'json', '--fail-on', 'never']);
      expect([outside.code, outside.err]).toEqual([
        inside.code,
        inside.err.split(join(root, name)).join(name),
      ]);
      if (inside.code === 2) continue;
      const a = absoluteFiles(JSON.parse(inside.out) as Json, join(root, name));
      const b = absoluteFiles(JSON.parse(outside.out) as Json, root);
      if (JSON.stringify(a) !== JSON.stringify(b)) differing.push(name);
      rows += (JSON.parse(inside.out) as { routes: unknown[] }).routes.length;
    }
    expect(differing).toEqual([]);
    // The corpus holds Claude runs in most of its repositories: a scan that read nothing would pass above.
    expect(rows).toBeGreaterThan(repositories.length);
  });
});
