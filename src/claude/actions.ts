/** What claude-route-guard knows about the official action and its look-alikes (see docs/ROUTES.md). */

export type ActionFlavour =
  /** anthropics/claude-code-action@v1 and later: inputs, with the job's env as fallback. */
  | 'v1'
  /** @beta / @v0: inputs only, `claude_env`, no Foundry or federation. */
  | 'legacy'
  /** claude-code-base-action and claude-code-action/base-action: inputs only, an unset input hides the env. */
  | 'base'
  /** A fork or a misspelt owner: runs Claude Code, but is not Anthropic's. */
  | 'lookalike';

export interface ActionRef {
  flavour: ActionFlavour;
  owner: string;
  repo: string;
  path: string;
  ref: string;
}

const OFFICIAL_OWNER = 'anthropics';
const ACTION_REPOS = new Set(['claude-code-action', 'claude-code-base-action']);

/** Parses `owner/repo[/path]@ref` and says whether it is a Claude Code action. */
export function claudeAction(uses: string): ActionRef | undefined {
  const m = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]*)?)@(\S+)$/.exec(uses.trim());
  if (!m) return undefined;
  const [, owner, repo, path, ref] = m as unknown as [string, string, string, string, string];
  if (!ACTION_REPOS.has(repo.toLowerCase())) return undefined;
  const official = owner.toLowerCase() === OFFICIAL_OWNER;
  const base = repo.toLowerCase() === 'claude-code-base-action' || path.replace(/\/$/, '') === '/base-action';
  if (path && !base) return undefined; // some other file inside the repository, not the action
  let flavour: ActionFlavour;
  if (!official) flavour = 'lookalike';
  else if (base) flavour = 'base';
  else flavour = /^(beta|v0)([.-].*)?$/.test(ref) ? 'legacy' : 'v1';
  return { flavour, owner, repo, path, ref };
}

/** Inputs of forks that hand Claude a subscription's OAuth access and refresh tokens. */
export const FORK_OAUTH_INPUTS = ['claude_access_token', 'claude_refresh_token', 'claude_expires_at'];

/**
 * Input names seen in real workflows that the official action does not have: the value is ignored with
 * only a log warning, so the credential never reaches Claude.
 */
export const MISNAMED_INPUTS: Record<string, string> = {
  'api-key': 'anthropic_api_key',
  api_key: 'anthropic_api_key',
  'anthropic-api-key': 'anthropic_api_key',
  anthropic_key: 'anthropic_api_key',
  anthropic_token: 'anthropic_api_key',
  'anthropic-key': 'anthropic_api_key',
  claude_api_key: 'anthropic_api_key',
  'claude-api-key': 'anthropic_api_key',
  anthropicapikey: 'anthropic_api_key',
  'claude-token': 'claude_code_oauth_token',
  claude_token: 'claude_code_oauth_token',
  'claude-code-oauth-token': 'claude_code_oauth_token',
  oauth_token: 'claude_code_oauth_token',
  claude_oauth_token: 'claude_code_oauth_token',
  'use-bedrock': 'use_bedrock',
  'use-vertex': 'use_vertex',
};

/** The right input for a credential passed under a wrong name, if the name is a known mistake. */
export function misnamedInput(name: string, flavour: ActionFlavour): string | undefined {
  if (flavour === 'lookalike') return undefined;
  if (name === 'ANTHROPIC_API_KEY') return 'anthropic_api_key';
  if (name === 'CLAUDE_CODE_OAUTH_TOKEN') return 'claude_code_oauth_token';
  return MISNAMED_INPUTS[name.toLowerCase()];
}

/** Whether `uses:` names Anthropic's action or a look-alike of it: known without reading the callee. */
export function isClaudeAction(uses: string): boolean {
  return claudeAction(uses) !== undefined;
}
