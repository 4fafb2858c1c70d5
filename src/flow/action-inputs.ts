/**
 * Anthropic's action (`anthropics/claude-code-action` and its base action), by what its inputs put into
 * Claude's environment (docs/ROUTES.md, "The official action"). Every input the engine knows is in
 * OFFICIAL_INPUTS, once: what the action does with it, the variable it becomes, which addresses read it,
 * whether it carries a credential and the wrong names workflows give it. The lists the rest of the engine
 * uses are derived from it, so a new input is one row.
 */

/**
 * The addresses of the action, by how they map inputs:
 * - `v1`: anthropics/claude-code-action@v1 and later: inputs, with the job's env as fallback from v1.0.146;
 * - `legacy`: @beta / @v0: inputs only, `claude_env`, no Foundry or federation;
 * - `base`: claude-code-base-action and claude-code-action/base-action: inputs only, an unset input hides the env;
 * - `lookalike`: a fork or a misspelt owner: runs Claude Code, but is not Anthropic's;
 * - `security-review`: anthropics/claude-code-security-review: its own `claude-api-key` input only.
 */
export const ACTION_FLAVOURS = ['v1', 'legacy', 'base', 'lookalike', 'security-review'] as const;
export type ActionFlavour = (typeof ACTION_FLAVOURS)[number];

/** What an address does besides mapping its inputs. */
export interface FlavourTraits {
  /** It hands Claude PASSED_THROUGH from the step's env, and Claude reads the repository's settings. */
  readsEnvironment: boolean;
  /** It bounds its own run (a timeout input with a default), so it never bills until the job limit. */
  bounded: boolean;
  /** Unless a cloud provider is on, it refuses to start without one of `VALIDATOR_REQUIRES` (validate-env). */
  validated: boolean;
}

/** What the official action's validator asks for when no cloud provider is switched on. */
export const VALIDATOR_REQUIRES = ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN'] as const;

export const FLAVOUR_TRAITS: Record<ActionFlavour, FlavourTraits> = {
  v1: { readsEnvironment: true, bounded: false, validated: true },
  legacy: { readsEnvironment: true, bounded: false, validated: true },
  base: { readsEnvironment: true, bounded: false, validated: true },
  // A look-alike's own code is not known: no validator is assumed.
  lookalike: { readsEnvironment: true, bounded: false, validated: false },
  // It runs Claude from its own folder with ANTHROPIC_API_KEY set from its input, and its false-positive
  // filter calls the Messages API with that key directly: always API-billed. `claudecode-timeout` is 20
  // minutes unless set.
  'security-review': { readsEnvironment: false, bounded: true, validated: false },
};

/** What the action does with an input. */
export type InputEffect =
  /** Becomes its variable; v1 falls back to the env's when the input is empty, the others hide the env's. */
  | 'credential'
  /** Sets its provider switch to `1` only when the input is exactly `true`, else to `''`, over the env's. */
  | 'switch'
  /** Becomes its variable as written. */
  | 'value'
  /** A fork's input that hands Claude a subscription's OAuth token, unless a token input already does. */
  | 'fork-oauth'
  /** `KEY: value` lines put into Claude's environment. */
  | 'env-lines'
  /** Settings JSON, or the path of a settings file: its `env` and `apiKeyHelper` count. */
  | 'settings'
  /** Claude Code's own arguments: a spend limit, `--settings`. */
  | 'arguments'
  /** A turn limit. */
  | 'spend-limit';

export interface OfficialInput {
  effect: InputEffect;
  /** The variable the input becomes in Claude's environment. */
  becomes?: string;
  /** The addresses whose action reads the input. */
  readBy: readonly ActionFlavour[];
  /** Whether the input's value is a credential (a literal there is a leaked key). */
  credential: boolean;
  /** Names seen in real workflows for this input, which the action ignores with only a log warning. */
  misnamed?: readonly string[];
  /** The first release of anthropics/claude-code-action that has the input: older ones ignore it. */
  since?: string;
  /**
   * For a credential of `v1`: the first release whose `inputs.x || env.X` hands Claude the job's variable
   * when the input is empty. Before it the empty input is written over the job's value, as base-action does.
   */
  fallbackSince?: string;
}

/** The addresses of claude-code-action, its base action and its look-alikes. */
const ALL = ['v1', 'legacy', 'base', 'lookalike'] as const;
const NOT_V1 = ['legacy', 'base', 'lookalike'] as const;

/** Every input of the action the engine reads, in the order the action applies them. */
export const OFFICIAL_INPUTS = {
  anthropic_api_key: {
    effect: 'credential',
    becomes: 'ANTHROPIC_API_KEY',
    readBy: ALL,
    credential: true,
    fallbackSince: 'v1.0.146',
    misnamed: [
      'api-key',
      'api_key',
      'anthropic-api-key',
      'anthropic_key',
      'anthropic_token',
      'anthropic-key',
      'claude_api_key',
      'claude-api-key',
      'anthropicapikey',
    ],
  },
  claude_code_oauth_token: {
    effect: 'credential',
    becomes: 'CLAUDE_CODE_OAUTH_TOKEN',
    readBy: ALL,
    credential: true,
    fallbackSince: 'v1.0.146',
    misnamed: [
      'claude-token',
      'claude_token',
      'claude-code-oauth-token',
      'oauth_token',
      'claude_oauth_token',
    ],
  },
  use_bedrock: {
    effect: 'switch',
    becomes: 'CLAUDE_CODE_USE_BEDROCK',
    readBy: ALL,
    credential: false,
    misnamed: ['use-bedrock'],
  },
  use_vertex: {
    effect: 'switch',
    becomes: 'CLAUDE_CODE_USE_VERTEX',
    readBy: ALL,
    credential: false,
    misnamed: ['use-vertex'],
  },
  use_foundry: {
    effect: 'switch',
    becomes: 'CLAUDE_CODE_USE_FOUNDRY',
    readBy: ALL,
    credential: false,
    since: 'v1.0.19',
  },
  anthropic_federation_rule_id: {
    effect: 'value',
    becomes: 'ANTHROPIC_FEDERATION_RULE_ID',
    readBy: ['v1'],
    credential: false,
    since: 'v1.0.130',
  },
  anthropic_organization_id: {
    effect: 'value',
    becomes: 'ANTHROPIC_ORGANIZATION_ID',
    readBy: ['v1'],
    credential: false,
    since: 'v1.0.130',
  },
  claude_access_token: {
    effect: 'fork-oauth',
    becomes: 'CLAUDE_CODE_OAUTH_TOKEN',
    readBy: ALL,
    credential: true,
  },
  claude_refresh_token: {
    effect: 'fork-oauth',
    becomes: 'CLAUDE_CODE_OAUTH_TOKEN',
    readBy: ALL,
    credential: true,
  },
  claude_expires_at: {
    effect: 'fork-oauth',
    becomes: 'CLAUDE_CODE_OAUTH_TOKEN',
    readBy: ALL,
    credential: false,
  },
  'claude-api-key': {
    effect: 'credential',
    becomes: 'ANTHROPIC_API_KEY',
    readBy: ['security-review'],
    credential: true,
    misnamed: ['anthropic_api_key', 'anthropic-api-key', 'claude_api_key', 'api-key'],
  },
  claude_env: { effect: 'env-lines', readBy: NOT_V1, credential: false, since: 'v0.0.13' },
  settings: { effect: 'settings', readBy: ALL, credential: false },
  claude_args: { effect: 'arguments', readBy: ALL, credential: false },
  max_turns: { effect: 'spend-limit', readBy: ALL, credential: false },
} as const satisfies Record<string, OfficialInput>;

export type OfficialInputName = keyof typeof OFFICIAL_INPUTS;

const INPUT_ROWS = Object.entries(OFFICIAL_INPUTS) as [OfficialInputName, OfficialInput][];
const BY_NAME: ReadonlyMap<string, OfficialInput> = new Map(INPUT_ROWS);

/** The action's inputs in the order it applies them, each with what it does. */
export function officialInputs(): readonly [OfficialInputName, OfficialInput][] {
  return INPUT_ROWS;
}

/** Inputs of the action and its forks that carry a credential. */
export const CREDENTIAL_INPUTS: ReadonlySet<string> = new Set(
  INPUT_ROWS.filter(([, input]) => input.credential).map(([name]) => name),
);

/**
 * Variables the v1 action hands from the step's environment to Claude as they are: a gateway token, custom
 * headers and URL, the AWS providers, a federation profile, bare mode.
 */
export const PASSED_THROUGH: readonly string[] = [
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_CUSTOM_HEADERS',
  'ANTHROPIC_BASE_URL',
  'CLAUDE_CODE_USE_ANTHROPIC_AWS',
  'CLAUDE_CODE_USE_MANTLE',
  'ANTHROPIC_PROFILE',
  'CLAUDE_CODE_SIMPLE',
];

/**
 * For each address, the wrong names of its inputs and a credential's variable written as an input name
 * (`ANTHROPIC_API_KEY:` under `with:`), each with the input it should be.
 */
const MISNAMED: ReadonlyMap<ActionFlavour, ReadonlyMap<string, string>> = new Map(
  ACTION_FLAVOURS.map((flavour) => {
    const rows = INPUT_ROWS.filter(([, input]) => input.readBy.includes(flavour));
    const wrong = rows.flatMap(([name, input]) => (input.misnamed ?? []).map((w) => [w, name] as const));
    const variables = rows
      .filter(([, input]) => input.effect === 'credential')
      .map(([name, input]) => [input.becomes!, name] as const);
    return [flavour, new Map([...wrong, ...variables])];
  }),
);

/** The right input for a credential passed under a wrong name, if the name is a known mistake. */
export function misnamedInput(name: string, flavour: ActionFlavour): string | undefined {
  if (flavour === 'lookalike') return undefined;
  const names = MISNAMED.get(flavour)!;
  return names.get(name) ?? names.get(name.toLowerCase());
}

/** The variable an input named as the action names it becomes: `use_bedrock` is CLAUDE_CODE_USE_BEDROCK. */
export function variableOfOfficialInput(name: string): string | undefined {
  const input = BY_NAME.get(name);
  return input && ['credential', 'switch', 'value'].includes(input.effect) ? input.becomes : undefined;
}

/** What the action does with an input of this name, when this address reads it. */
export function inputEffect(name: string, flavour: ActionFlavour): InputEffect | undefined {
  const input = BY_NAME.get(name);
  return input?.readBy.includes(flavour) ? input.effect : undefined;
}
