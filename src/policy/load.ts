import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isWithin, noLinkBelow, readRegularFile } from '../files.js';
import { decode, DEFAULT_MAX_BYTES, UsageError } from '../load.js';
import { DEFAULT_POLICY, DEFAULT_POLICY_PATH, parsePolicy, type Policy } from './policy.js';

/** The named policy file, or .github/claude-route-guard.yml when it exists, or the defaults. */
export function loadPolicy(cwd: string, named: string | undefined): Policy {
  const path = named ?? (existsSync(resolve(cwd, DEFAULT_POLICY_PATH)) ? DEFAULT_POLICY_PATH : undefined);
  if (path === undefined) return DEFAULT_POLICY;
  return parsePolicy(readPolicyText(cwd, path), path);
}

/** The policy's text; a link, a device or an oversized file is refused with a reason, never read. */
export function readPolicyText(cwd: string, path: string): string {
  const absolute = resolve(cwd, path);
  if (isWithin(cwd, absolute) && !noLinkBelow(cwd, absolute))
    throw new UsageError(
      `${path}: the policy file is reached through a symbolic link, which is not followed`,
    );
  const opened = readRegularFile(absolute, DEFAULT_MAX_BYTES);
  if ('problem' in opened) throw new UsageError(`${path}: cannot read the policy file (${opened.problem})`);
  const decoded = decode(opened.bytes);
  if ('problem' in decoded)
    throw new UsageError(`${path}:${decoded.line}:${decoded.column}: the policy file is ${decoded.problem}`);
  return decoded.text;
}
