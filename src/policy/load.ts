import { lstatSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { noLinkBelow, readRegularFile } from '../files.js';
import { decode, DEFAULT_MAX_BYTES } from '../file-text.js';
import { UsageError } from '../usage-error.js';
import { DEFAULT_POLICY, DEFAULT_POLICY_PATH, parsePolicy, type Policy } from './policy.js';

/**
 * Reads a policy file that `shown` names in messages. A link (on the file or a folder on its way from
 * `root`) is refused, not followed: the pull request's author controls the repository and must not point
 * the policy at a file outside it, or at /dev/zero. A device or an oversized file is refused too.
 */
function readPolicy(absolute: string, shown: string, required: boolean, root: string): Policy {
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch {
    if (!required) return DEFAULT_POLICY;
    throw new UsageError(`${shown}: cannot read the policy file`);
  }
  const linked = stat.isSymbolicLink() || (absolute.startsWith(root + sep) && !noLinkBelow(root, absolute));
  if (linked) throw new UsageError(`${shown}: the policy file must be a regular file, not a link`);
  const opened = readRegularFile(absolute, DEFAULT_MAX_BYTES);
  if ('problem' in opened) throw new UsageError(`${shown}: cannot read the policy file (${opened.problem})`);
  const decoded = decode(opened.bytes);
  if ('problem' in decoded)
    throw new UsageError(`${shown}:${decoded.line}:${decoded.column}: the policy file is ${decoded.problem}`);
  return parsePolicy(decoded.text, shown);
}

/** The named policy file, or .github/claude-route-guard.yml when it exists, or the defaults. */
export function loadPolicy(cwd: string, named: string | undefined): Policy {
  const path = named ?? DEFAULT_POLICY_PATH;
  return readPolicy(resolve(cwd, path), path, named !== undefined, resolve(cwd));
}

/** The policy of the repository at `root` (its .github/claude-route-guard.yml), named relative to `cwd`. */
export function loadRepoPolicy(root: string, cwd: string): Policy {
  const absolute = join(root, DEFAULT_POLICY_PATH);
  return readPolicy(absolute, relative(cwd, absolute).split(sep).join('/'), false, root);
}
