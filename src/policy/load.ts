import { lstatSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../load.js';
import { DEFAULT_POLICY, DEFAULT_POLICY_PATH, parsePolicy, type Policy } from './policy.js';

/**
 * Reads a policy file that `shown` names in messages. A link is refused, not followed: the pull request's
 * author controls the repository and must not point the policy at a file outside it.
 */
function readPolicy(absolute: string, shown: string, required: boolean): Policy {
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch {
    if (!required) return DEFAULT_POLICY;
    throw new UsageError(`${shown}: cannot read the policy file`);
  }
  if (!stat.isFile()) throw new UsageError(`${shown}: the policy file must be a regular file, not a link`);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    throw new UsageError(`${shown}: cannot read the policy file`);
  }
  return parsePolicy(text, shown);
}

/** The named policy file, or .github/claude-route-guard.yml when it exists, or the defaults. */
export function loadPolicy(cwd: string, named: string | undefined): Policy {
  const path = named ?? DEFAULT_POLICY_PATH;
  return readPolicy(resolve(cwd, path), path, named !== undefined);
}

/** The policy of the repository at `root` (its .github/claude-route-guard.yml), named relative to `cwd`. */
export function loadRepoPolicy(root: string, cwd: string): Policy {
  const absolute = join(root, DEFAULT_POLICY_PATH);
  return readPolicy(absolute, relative(cwd, absolute).split(sep).join('/'), false);
}
