import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './helpers.js';

/** A clone whose origin is a bare repository on disk, with no user or system git configuration. */
function repository(): { work: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'crg-release-'));
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Maintainer',
    GIT_AUTHOR_EMAIL: 'maintainer@example.com',
    GIT_COMMITTER_NAME: 'Maintainer',
    GIT_COMMITTER_EMAIL: 'maintainer@example.com',
  };
  const work = join(dir, 'work');
  execFileSync('git', ['init', '--quiet', '--bare', join(dir, 'origin.git')], { env });
  execFileSync('git', ['clone', '--quiet', join(dir, 'origin.git'), work], { env, stdio: 'ignore' });
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: work, env, encoding: 'utf8' }).trim();
  return { work, git };
}

function commitVersion(r: ReturnType<typeof repository>, version: string): string {
  writeFileSync(join(r.work, 'package.json'), JSON.stringify({ name: 'claude-route-guard', version }));
  r.git('add', 'package.json');
  r.git('commit', '--quiet', '--message', `version ${version}`);
  r.git('push', '--quiet', 'origin', 'HEAD:main');
  return r.git('rev-parse', 'HEAD');
}

function release(r: ReturnType<typeof repository>, version: string): { status: number | null; err: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'release.mjs'), version], {
    cwd: r.work,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_COMMITTER_NAME: 'Maintainer',
      GIT_COMMITTER_EMAIL: 'maintainer@example.com',
    },
  });
  return { status: run.status, err: run.stderr };
}

/** The commit each tag on the remote points at (annotated tags peeled). */
function remoteTags(r: ReturnType<typeof repository>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of r.git('ls-remote', '--tags', 'origin').split('\n').filter(Boolean)) {
    const [sha, ref] = line.split('\t') as [string, string];
    const name = ref.replace('refs/tags/', '').replace('^{}', '');
    if (ref.endsWith('^{}') || !(name in out)) out[name] = sha;
  }
  return out;
}

describe('the release workflow', () => {
  it('tags the version package.json holds and moves the major tag, so @v0 and rev: v0.1.0 resolve', () => {
    const r = repository();
    const first = commitVersion(r, '0.1.0');
    expect(release(r, '0.1.0')).toEqual({ status: 0, err: '' });
    expect(remoteTags(r)).toEqual({ 'v0.1.0': first, v0: first });
    // The next release moves v0 and leaves v0.1.0 where it was released.
    const second = commitVersion(r, '0.1.1');
    expect(release(r, '0.1.1').status).toBe(0);
    expect(remoteTags(r)).toEqual({ 'v0.1.0': first, 'v0.1.1': second, v0: second });
  });

  it('refuses a version package.json does not hold, and never moves a release tag', () => {
    const r = repository();
    const first = commitVersion(r, '0.1.0');
    expect(release(r, '0.2.0')).toEqual({
      status: 1,
      err: 'release: package.json says 0.1.0, not 0.2.0: raise the version first\n',
    });
    expect(release(r, '0.1.0').status).toBe(0);
    // Another commit that still says 0.1.0 cannot take the tag over.
    writeFileSync(join(r.work, 'README.md'), 'changed\n');
    r.git('add', 'README.md');
    r.git('commit', '--quiet', '--message', 'a change without a new version');
    expect(release(r, '0.1.0')).toEqual({
      status: 1,
      err: `release: v0.1.0 already exists on ${first.slice(0, 12)}, not on HEAD\n`,
    });
    expect(remoteTags(r)).toEqual({ 'v0.1.0': first, v0: first });
  });

  it('is run by a maintainer on main only, with the checks CI runs, and may write tags', () => {
    const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      jobs: { release: { if: string; steps: { run?: string }[] } };
    };
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
    expect(workflow.permissions).toEqual({ contents: 'write' });
    expect(workflow.jobs.release.if).toBe("github.ref == 'refs/heads/main'");
    const runs = workflow.jobs.release.steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs[0]).toBe('bash .ci/run');
    expect(runs[1]).toContain('node scripts/release.mjs "$VERSION"');
  });
});
