import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freshBundle } from './bundle.js';
import { REPO, ROOT } from './helpers.js';

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
  // The runner fills in action.yml's defaults for inputs the step does not set. The API's answers come from a
  // fake in this process, at once, but a busy machine can starve it for seconds: only a test of a server
  // that never answers sets api-timeout, and waits it out.
  for (const [k, v] of Object.entries({ ...ACTION_DEFAULTS, 'api-timeout': '120' }))
    env[`INPUT_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  // Before the promise: a stale dist/ fails the test that awaits it, with how to rebuild.
  const bundle = freshBundle('action');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A hung run is ended before jest's own limit, so the test reports what the action printed.
    const killer = setTimeout(() => child.kill(), 540_000);
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
      });
    });
  });
}
