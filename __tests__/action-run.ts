import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO, ROOT } from './helpers.js';

export const ACTION_BUNDLE = join(ROOT, 'dist', 'index.js');

const ACTION_DEFAULTS: Record<string, string> = Object.fromEntries(
  Object.entries(
    (
      parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
        inputs: Record<string, { default?: string }>;
      }
    ).inputs,
  )
    .map(([name, input]): [string, string] => [name, input.default ?? ''])
    // `${{ github.token }}` is filled in by the runner; a test passes its own token.
    .filter(([, value]) => !value.includes('${{')),
);

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  ms: number;
}

/** A real pull_request payload, as GitHub writes it to GITHUB_EVENT_PATH (trimmed to what is read). */
export function pullRequestEvent(number = 7, fork = false, headSha?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'crg-event-'));
  const path = join(dir, 'event.json');
  writeFileSync(
    path,
    JSON.stringify({
      action: 'opened',
      number,
      pull_request: {
        number,
        head: {
          ...(headSha ? { sha: headSha } : {}),
          repo: { full_name: fork ? 'someone/repo' : 'octo/repo', fork },
        },
        base: { repo: { full_name: 'octo/repo' } },
      },
      repository: { full_name: 'octo/repo', name: 'repo', owner: { login: 'octo' } },
    }),
  );
  return path;
}

/**
 * Runs the bundled action the way the runner does: INPUT_* variables, GITHUB_* files, a fresh process.
 * Asynchronous, so a test can serve HTTP on 127.0.0.1 while the action runs.
 */
export function runAction(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'crg-action-'));
  const summaryFile = join(dir, 'summary.md');
  const outputFile = join(dir, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: mkdtempSync(join(tmpdir(), 'crg-home-')),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: REPO,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/repo',
    GITHUB_SHA: 'abc123',
    GITHUB_EVENT_NAME: 'push',
    // resolve-remote is on by default: a test reaches GitHub only through a fake it names, never the internet.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    ...extraEnv,
  };
  // The runner fills in action.yml's defaults for inputs the step does not set.
  for (const [k, v] of Object.entries(ACTION_DEFAULTS)) env[`INPUT_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION_BUNDLE], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill(), 60000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(killer);
      const outputs: Record<string, string> = {};
      const raw = readFileSync(outputFile, 'utf8');
      for (const m of raw.matchAll(/^(\S+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm))
        outputs[m[1]!] = m[3]!;
      resolve({
        status,
        stdout,
        stderr,
        summary: readFileSync(summaryFile, 'utf8'),
        outputs,
        ms: Date.now() - started,
      });
    });
  });
}
