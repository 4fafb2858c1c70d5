import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, ROOT } from './helpers.js';

export const ACTION_BUNDLE = join(ROOT, 'dist', 'index.js');

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

/** Runs the bundled action the way the runner does: INPUT_* variables and GITHUB_* files. */
export function runAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): ActionRun {
  const dir = mkdtempSync(join(tmpdir(), 'crg-action-'));
  const summaryFile = join(dir, 'summary.md');
  const outputFile = join(dir, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: REPO,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/repo',
    GITHUB_SHA: 'abc123',
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const run = spawnSync(process.execPath, [ACTION_BUNDLE], { env, encoding: 'utf8', timeout: 30000 });
  const outputs: Record<string, string> = {};
  const raw = readFileSync(outputFile, 'utf8');
  for (const m of raw.matchAll(/^(\S+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return {
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    summary: readFileSync(summaryFile, 'utf8'),
    outputs,
  };
}
