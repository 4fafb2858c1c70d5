/**
 * The SARIF file is never written through a link or out of the workspace and the runner's temp folder.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction } from './action-run.js';
import { workspace } from './hostile-pr.js';

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
