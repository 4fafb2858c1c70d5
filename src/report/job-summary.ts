import { EOL, tmpdir } from 'node:os';
import { appendInside } from '../files.js';
import type { LinkBase } from './summary.js';

/** Links into the repository at the commit of the run, when the runner says which that is. */
export function linkBase(env: NodeJS.ProcessEnv): LinkBase {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  return server && repo && sha ? { blob: `${server}/${repo}/blob/${sha}/` } : {};
}

/**
 * Adds Markdown to the job summary the runner names in GITHUB_STEP_SUMMARY; undefined when it names none.
 * The variable can be set by anything earlier in the job, so the file must sit in the runner's temp
 * folder (where the runner keeps it) or the workspace, reached without a symbolic link.
 */
export function appendJobSummary(
  env: NodeJS.ProcessEnv,
  workspace: string,
  markdown: string,
): { written: string } | { refused: string } | undefined {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return undefined;
  return appendInside([env.RUNNER_TEMP || tmpdir(), workspace], path, markdown + EOL);
}
