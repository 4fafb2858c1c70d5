/**
 * The workspace a hostile pull request leaves behind, and the CLI run on it in this process: shared by the
 * hostile-pr-*.test.ts files, one per threat.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../src/cli.js';
import { FIXTURES } from './helpers.js';

export const HOSTILE = join(FIXTURES, 'hostile');

/** A fresh workspace holding the named hostile fixtures as workflows, plus any extra files. */
export function workspace(workflows: Record<string, string>, files: Record<string, string> = {}): string {
  const root = join(mkdtempSync(join(tmpdir(), 'crg-pr-')), 'ws');
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  for (const [name, fixture] of Object.entries(workflows))
    copyFileSync(join(HOSTILE, fixture), join(root, '.github', 'workflows', name));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export function cli(cwd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runCli(args, {
    cwd,
    stdout: (t) => (stdout += t + '\n'),
    stderr: (t) => (stderr += t + '\n'),
  }) as number; // without --resolve-remote the CLI answers at once
  return { status, stdout, stderr };
}
