import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../load.js';
import { DEFAULT_POLICY, DEFAULT_POLICY_PATH, parsePolicy, type Policy } from './policy.js';

/** The named policy file, or .github/claude-route-guard.yml when it exists, or the defaults. */
export function loadPolicy(cwd: string, named: string | undefined): Policy {
  const path = named ?? (existsSync(resolve(cwd, DEFAULT_POLICY_PATH)) ? DEFAULT_POLICY_PATH : undefined);
  if (path === undefined) return DEFAULT_POLICY;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch {
    throw new UsageError(`${path}: cannot read the policy file`);
  }
  return parsePolicy(text, path);
}
