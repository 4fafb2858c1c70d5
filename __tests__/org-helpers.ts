import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../src/cli.js';
import { loadFiles, UsageError, type LoadProblem } from '../src/load.js';
import { loadRepoPolicy } from '../src/policy/load.js';
import { PolicyError } from '../src/policy/policy.js';
import { jsonFinding } from '../src/report/json.js';
import { scan } from '../src/scan.js';
import type { FakeGitHubOrg, FakeRepository, FileContent } from './github-org.js';

/** A commit id for a repository's content: it moves whenever a file does. */
export function commitOf(files: Map<string, FileContent>): string {
  const hash = createHash('sha1');
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1)))
    hash.update(
      `${path}\0${typeof content === 'object' && !Buffer.isBuffer(content) ? `link:${content.link}` : content}\0`,
    );
  return hash.digest('hex');
}

export function repository(
  name: string,
  files: Record<string, FileContent>,
  extra: Partial<FakeRepository> = {},
): FakeRepository {
  const map = new Map(Object.entries(files));
  return { name, files: map, commit: commitOf(map), ...extra };
}

/** The repository's files written out as a checkout (links as links), to scan it locally. */
export function checkout(repo: FakeRepository): string {
  const root = mkdtempSync(join(tmpdir(), 'crg-checkout-'));
  for (const [path, content] of repo.files) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(content.link, target);
    else writeFileSync(target, content);
  }
  return root;
}

/** A local default scan of the same files, as the inventory's entry for the repository should read. */
export function localEntry(repo: FakeRepository): object {
  const root = checkout(repo);
  const problems: LoadProblem[] = [];
  try {
    const report = scan(
      loadFiles([], { cwd: root, repoName: repo.name, policyFor: (r) => loadRepoPolicy(r, root) }, problems),
    );
    return {
      repository: repo.name,
      commit: repo.commit ?? null,
      routes: report.routes,
      findings: report.findings.map(jsonFinding),
    };
  } catch (error) {
    // No default folder: nothing to read, no runs. A policy the local scan refuses makes it unreadable.
    if (error instanceof UsageError && /^no \.github/.test(error.message))
      return { repository: repo.name, commit: repo.commit ?? null, routes: [], findings: [] };
    if (error instanceof PolicyError || error instanceof UsageError) return { unreadable: error.message };
    throw error;
  }
}

export interface OrgRun {
  code: number;
  out: string;
  err: string;
}

/** The CLI in this process against the fake. */
export async function org(
  api: string,
  args: string[],
  cwd = tmpdir(),
  env: NodeJS.ProcessEnv = {},
): Promise<OrgRun> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    cwd,
    env: {
      GITHUB_TOKEN: 'ghp_inventoryTestToken0123456789',
      GITHUB_API_URL: api,
      GITHUB_GRAPHQL_URL: `${api}/graphql`,
      GITHUB_SERVER_URL: 'https://github.com',
      CI: 'true',
      ...env,
    },
    stdout: (t) => (out += t.endsWith('\n') ? t : `${t}\n`),
    write: (t) => (out += t),
    stderr: (t) => (err += `${t}\n`),
  });
  return { code, out, err };
}

export function served(fake: FakeGitHubOrg): FakeRepository[] {
  return [...fake.repositories.values()];
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}
