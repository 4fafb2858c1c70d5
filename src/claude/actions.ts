import type { ActionFlavour } from '../flow/action-inputs.js';
import { isUnknownCommit } from '../flow/action-versions.js';

/**
 * Recognising the official action and its look-alikes by their `uses:` address (see docs/ROUTES.md); what
 * their inputs do is flow's (flow/action-inputs.ts).
 */

export interface ActionRef {
  flavour: ActionFlavour;
  owner: string;
  repo: string;
  path: string;
  ref: string;
}

const OFFICIAL_OWNER = 'anthropics';
const ACTION_REPOS = new Set(['claude-code-action', 'claude-code-base-action']);
const SECURITY_REVIEW = 'claude-code-security-review';

/** Parses `owner/repo[/path]@ref` and says whether it is a Claude Code action. */
export function claudeAction(uses: string): ActionRef | undefined {
  const m = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]*)?)@(\S+)$/.exec(uses.trim());
  if (!m) return undefined;
  const [, owner, repo, path, ref] = m as unknown as [string, string, string, string, string];
  const official = owner.toLowerCase() === OFFICIAL_OWNER;
  if (official && !path && repo.toLowerCase() === SECURITY_REVIEW)
    return { flavour: 'security-review', owner, repo, path, ref };
  if (!ACTION_REPOS.has(repo.toLowerCase())) return undefined;
  const base = repo.toLowerCase() === 'claude-code-base-action' || path.replace(/\/$/, '') === '/base-action';
  if (path && !base) return undefined; // some other file inside the repository, not the action
  let flavour: ActionFlavour;
  if (!official) flavour = 'lookalike';
  else if (base) flavour = 'base';
  else flavour = /^(beta|v0)([.-].*)?$/.test(ref) ? 'legacy' : 'v1';
  return { flavour, owner, repo, path, ref };
}

/** Whether `uses:` names Anthropic's action or a look-alike of it: known without reading the callee. */
export function isClaudeAction(uses: string): boolean {
  return claudeAction(uses) !== undefined;
}

/**
 * Whether an action is known without reading it: Anthropic's and their look-alikes, except a commit of the
 * official action that is not a known release, whose own action.yml says what it does with its inputs.
 */
export function knownWithoutReading(uses: string): boolean {
  const action = claudeAction(uses);
  return action !== undefined && !(hasReleases(action) && isUnknownCommit(action.ref));
}

/** The official action's own address (not its base action or a look-alike): its refs are its releases. */
export function hasReleases(action: ActionRef): boolean {
  return action.flavour === 'v1' || action.flavour === 'legacy';
}
