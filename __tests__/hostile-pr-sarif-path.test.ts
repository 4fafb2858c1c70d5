/**
 * The SARIF file is never written through a link or out of the workspace and the runner's temp folder.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction } from './action-run.js';
import type { Log } from 'sarif';
import { cli, workspace } from './hostile-pr.js';

describe('the SARIF file is never written through a link', () => {
  it('refuses a linked file, a linked folder on the way and a path out of the workspace', async () => {
    const ws = workspace({ 'review.yml': 'subscription.yml' });
    const victim = join(dirname(ws), 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(ws, 'results.sarif'));
    mkdirSync(join(dirname(ws), 'elsewhere'));
    symlinkSync(join(dirname(ws), 'elsewhere'), join(ws, 'reports'));
    for (const [sarif, why] of [
      ['results.sarif', 'results.sarif is a symbolic link'],
      ['reports/out.sarif', 'reports is a symbolic link'],
      ['../out.sarif', 'it is outside the workspace and the runner temp folder'],
      ['/etc/out.sarif', 'it is outside the workspace and the runner temp folder'],
    ]) {
      const run = await runAction(
        { 'sarif-file': sarif!, 'fail-on': 'never', 'runtime-check': 'false' },
        { GITHUB_WORKSPACE: ws, RUNNER_TEMP: join(dirname(ws), 'temp') },
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`::error::The SARIF file ${sarif} was not written: ${why}.`);
      expect(run.summary).toContain('subscription-token-in-ci'); // the report itself is still complete
    }
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(execFileSync('ls', ['-A', join(dirname(ws), 'elsewhere')]).toString()).toBe('');
  });

  it('writes a new or regular file inside the workspace or RUNNER_TEMP, replacing the old one', async () => {
    const ws = workspace({ 'review.yml': 'subscription.yml' }, { 'out/results.sarif': 'old' });
    const temp = mkdtempSync(join(tmpdir(), 'crg-temp-'));
    const inWorkspace = await runAction(
      { 'sarif-file': 'out/results.sarif', 'fail-on': 'never', 'runtime-check': 'false' },
      { GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp },
    );
    expect(inWorkspace.status).toBe(0);
    expect(JSON.parse(readFileSync(join(ws, 'out', 'results.sarif'), 'utf8'))).toMatchObject({
      version: '2.1.0',
    });
    const inTemp = await runAction(
      { 'sarif-file': join(temp, 'new', 'r.sarif'), 'fail-on': 'never', 'runtime-check': 'false' },
      { GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp },
    );
    expect(inTemp.status).toBe(0);
    expect(inTemp.outputs['sarif-file']).toBe(join(temp, 'new', 'r.sarif'));
    expect(readFileSync(join(temp, 'new', 'r.sarif'), 'utf8')).toContain('subscription-token-in-ci');
  });
});

describe('a SARIF location names the file it is in, whatever its name', () => {
  it('percent-encodes each segment of artifactLocation.uri: spaces, #, ?, %, non-ASCII', () => {
    const folder = '.github/actions/a b#1?x=%41 é';
    const ws = workspace(
      {},
      {
        [`${folder}/action.yml`]:
          'runs:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n      env:\n' +
          '        CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n',
      },
    );
    const log = JSON.parse(cli(ws, ['--format', 'sarif', '--fail-on', 'never', folder]).stdout) as Log;
    const uris = log.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri);
    const encoded = '.github/actions/a%20b%231%3Fx%3D%2541%20%C3%A9/action.yml';
    expect(uris.length).toBeGreaterThan(0);
    expect(new Set(uris)).toEqual(new Set([encoded]));
    // Decoded segment by segment, the URI is the file's own path again.
    expect(encoded.split('/').map(decodeURIComponent).join('/')).toBe(`${folder}/action.yml`);
  });
});
