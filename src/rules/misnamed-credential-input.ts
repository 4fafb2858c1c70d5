import { isAnthropicHost } from '../claude/routes.js';
import { describeValue, type Binding } from '../workflow/values.js';
import type { Draft, Rule, RoutedInvocation } from './rule.js';
import { credentialHops, credentialPlace, jobName } from './rule.js';

/**
 * A secret whose name says it holds a subscription OAuth token (`CLAUDE_CODE_OAUTH_TOKEN`,
 * `CLAUDE_OAUTH_TOKEN`, `MAX_PLAN_OAUTH`): the name is all a workflow shows of what the secret holds.
 */
const OAUTH_NAME = /oauth|subscription[-_]?token|setup[-_]?token/i;

/** The run's API key when secrets fill it, with the secrets whose names `misnamed` picks. */
function keyUnder(
  inv: RoutedInvocation,
  misnamed: (secret: string) => boolean,
): { key: Binding; names: string[]; slot: string; input: boolean } | undefined {
  const key = inv.bindings.get('ANTHROPIC_API_KEY');
  if (!key || key.value.presence === 'empty') return undefined;
  const names = key.value.secrets.filter(misnamed);
  if (names.length === 0) return undefined;
  const input = key.level === 'action-input';
  return { key, names, input, slot: input ? 'the `anthropic_api_key` input' : '`ANTHROPIC_API_KEY`' };
}

/** A warning at the key: `secrets.X` passed to the run under a name that says it is `what`. Judged on a name: medium. */
function misnamedDraft(
  inv: RoutedInvocation,
  key: Binding,
  names: string[],
  what: string,
  fix: string,
): Draft {
  return {
    ...credentialPlace(key),
    severity: 'warning',
    confidence: 'medium',
    invocation: inv,
    related: [...credentialHops(key), { file: inv.file, span: inv.span, label: 'the Claude run it reaches' }],
    message: `${jobName(inv)} passes ${names.map((n) => `secrets.${n}`).join(' and ')} to ${inv.label} as ${what} ${fix}`,
  };
}

/** Inputs under a name the action does not have: ignored, so the credential never reaches Claude. */
function ignoredInputs(inv: RoutedInvocation): Draft[] {
  return inv.ignoredInputs.map(({ entry, suggestion, value }) => ({
    file: inv.file,
    span: entry.nameSpan,
    invocation: inv,
    message:
      `${jobName(inv)} passes ${describeValue(value)} to ${inv.label} as \`${entry.name}\`, an input the action does not have, so it is ignored and never reaches Claude. ` +
      `Rename it to \`${suggestion}\`.`,
  }));
}

/**
 * A secret named for an OAuth token in the API-key slot: the API takes only a Console key there and
 * rejects an OAuth token (`sk-ant-oat01-`) as an invalid key, so the run fails or another credential
 * answers. Judged on the name alone, so a warning.
 */
function oauthAsApiKey(inv: RoutedInvocation): Draft | undefined {
  const found = keyUnder(inv, (s) => OAUTH_NAME.test(s));
  if (!found) return undefined;
  const right = found.input ? 'the `claude_code_oauth_token` input' : '`CLAUDE_CODE_OAUTH_TOKEN`';
  return misnamedDraft(
    inv,
    found.key,
    found.names,
    `${found.slot}, an API-key slot, but its name says it holds a subscription OAuth token, which the API rejects as an invalid key: the run fails, or another credential answers.`,
    `Pass the OAuth token as ${right} instead (a person's plan then pays), or store a Console API key in this secret.`,
  );
}

/**
 * A secret named for Claude Code's gateway bearer-token variable (`ANTHROPIC_AUTH_TOKEN`, any
 * `*_AUTH_TOKEN`; not `*_OAUTH_TOKEN`): the name of what a gateway issues.
 */
const GATEWAY_TOKEN_NAME = /(^|_)AUTH_TOKEN(_|$)/i;

/**
 * A gateway's credential in the API-key slot with no base URL that leaves Anthropic: it goes as
 * `x-api-key` to api.anthropic.com, which rejects it. A base URL from an expression may name the gateway,
 * so only a missing, empty or Anthropic one counts. Judged on the name alone, so a warning.
 */
function gatewayTokenAsApiKey(inv: RoutedInvocation): Draft | undefined {
  const found = keyUnder(inv, (s) => GATEWAY_TOKEN_NAME.test(s) && !OAUTH_NAME.test(s));
  if (!found || !toAnthropic(inv)) return undefined;
  return misnamedDraft(
    inv,
    found.key,
    found.names,
    `${found.slot}, but its name says it holds a gateway's token, and no \`ANTHROPIC_BASE_URL\` sends the run to a gateway: it goes as \`x-api-key\` to api.anthropic.com, which rejects it as an invalid key.`,
    'Set `ANTHROPIC_BASE_URL` to the gateway that issued the token, or store a Console API key in this secret.',
  );
}

/** Whether the run's API calls surely go to Anthropic: no base URL, an empty one, or one at Anthropic's host. */
function toAnthropic(inv: RoutedInvocation): boolean {
  const baseUrl = inv.bindings.get('ANTHROPIC_BASE_URL')?.value;
  if (!baseUrl || baseUrl.presence === 'empty') return true;
  if (baseUrl.literal === undefined) return false;
  try {
    return isAnthropicHost(new URL(baseUrl.literal).hostname);
  } catch {
    return false;
  }
}

/**
 * Providers whose keys workflows put in Anthropic's slot: the secret's name, the switch that makes Claude
 * Code use that provider, and the host a base URL names for it. Either of the last two makes the key fit.
 * Several serve an Anthropic-compatible endpoint of their own (Z.ai's GLM, Moonshot's Kimi, DeepSeek,
 * Alibaba's Qwen, MiniMax): their keys fit there and nowhere else.
 */
const OTHER_PROVIDERS: readonly { name: string; secret: RegExp; switch?: string; host: RegExp }[] = [
  {
    name: 'Microsoft Foundry',
    secret: /^(ANTHROPIC_FOUNDRY|AZURE)_/i,
    switch: 'CLAUDE_CODE_USE_FOUNDRY',
    host: /azure\.com/i,
  },
  {
    name: 'Amazon Bedrock',
    secret: /^BEDROCK_/i,
    switch: 'CLAUDE_CODE_USE_BEDROCK',
    host: /amazonaws\.com/i,
  },
  { name: 'OpenAI', secret: /^OPENAI_/i, host: /openai\.com/i },
  { name: 'OpenRouter', secret: /^OPENROUTER_/i, host: /openrouter\.ai/i },
  {
    name: 'Z.ai (Zhipu GLM)',
    secret: /^(ZAI|ZHIPU(AI)?|GLM\d*|BIGMODEL)_/i,
    host: /(^|[./])z\.ai|bigmodel\.cn/i,
  },
  { name: 'Moonshot (Kimi)', secret: /^(MOONSHOT|KIMI)_/i, host: /moonshot\.(ai|cn)/i },
  { name: 'DeepSeek', secret: /^DEEPSEEK_/i, host: /deepseek\.com/i },
  {
    name: 'Alibaba Cloud (Qwen)',
    secret: /^(DASHSCOPE|QWEN|BAILIAN)_/i,
    host: /dashscope|aliyuncs\.com/i,
  },
  { name: 'MiniMax', secret: /^MINIMAX_/i, host: /minimax(i)?\.(io|chat|com)/i },
  { name: 'Groq', secret: /^GROQ_/i, host: /groq\.com/i },
  { name: 'Google Gemini', secret: /^GEMINI_/i, host: /generativelanguage\.googleapis\.com/i },
];

/** Whether a variable that reaches the run is set, or may be (a switch from a secret, say). */
function isOn(inv: RoutedInvocation, variable: string): boolean {
  const b = inv.bindings.get(variable);
  if (!b || b.value.presence === 'empty') return false;
  return b.value.literal === undefined || !/^(0|false|no|off)?$/i.test(b.value.literal.trim());
}

/**
 * A key named for another provider in Anthropic's API-key slot: Anthropic's API rejects it unless that
 * provider's switch is on or the base URL points at it. Judged from the secret's name: medium, a warning.
 */
function otherProviderKey(inv: RoutedInvocation): Draft | undefined {
  const baseUrl = inv.bindings.get('ANTHROPIC_BASE_URL')?.value;
  for (const provider of OTHER_PROVIDERS) {
    const found = keyUnder(inv, (n) => provider.secret.test(n));
    if (!found) continue;
    if (provider.switch && isOn(inv, provider.switch)) continue;
    // A base URL from an expression may point anywhere: the key may fit.
    if (baseUrl && (baseUrl.literal === undefined || provider.host.test(baseUrl.literal))) continue;
    const fix = provider.switch
      ? `Set \`${provider.switch}: 1\` if the run should use ${provider.name}, or pass an Anthropic API key here.`
      : `Point \`ANTHROPIC_BASE_URL\` at a gateway that takes this key, or pass an Anthropic API key here.`;
    const article = /^[AEIOU]/.test(provider.name) ? 'an' : 'a';
    return misnamedDraft(
      inv,
      found.key,
      found.names,
      `${found.slot}, but its name says it is ${article} ${provider.name} key, which Anthropic's API rejects as invalid when nothing sends the run to ${provider.name}.`,
      fix,
    );
  }
  return undefined;
}

export const misnamedCredentialInput: Rule = {
  id: 'misnamed-credential-input',
  severity: 'error',
  summary:
    'A credential passed under a name that does not fit it: an input the action does not have, an OAuth token or a gateway’s token in an API-key slot, or another provider’s key in Anthropic’s.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ invocations }) {
    return invocations.flatMap((inv) => {
      const drafts = [oauthAsApiKey(inv) ?? gatewayTokenAsApiKey(inv) ?? otherProviderKey(inv)].filter(
        (d) => d !== undefined,
      );
      return [...(inv.inner === undefined ? ignoredInputs(inv) : []), ...drafts];
    });
  },
};
