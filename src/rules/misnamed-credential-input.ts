import { describeSource } from '../workflow/values.js';
import type { Draft, Rule, RoutedInvocation } from './rule.js';
import { credentialHops, credentialPlace, jobName } from './rule.js';

/**
 * A secret whose name says it holds a subscription OAuth token (`CLAUDE_CODE_OAUTH_TOKEN`,
 * `CLAUDE_OAUTH_TOKEN`, `MAX_PLAN_OAUTH`): the name is all a workflow shows of what the secret holds.
 */
const OAUTH_NAME = /oauth|subscription[-_]?token|setup[-_]?token/i;

/** Inputs under a name the action does not have: ignored, so the credential never reaches Claude. */
function ignoredInputs(inv: RoutedInvocation): Draft[] {
  return inv.ignoredInputs.map(({ entry, suggestion, value }) => ({
    file: inv.file,
    span: entry.nameSpan,
    invocation: inv,
    message:
      `${jobName(inv)} passes ${describeSource(value)} to ${inv.label} as \`${entry.name}\`, an input the action does not have, so it is ignored and never reaches Claude. ` +
      `Rename it to \`${suggestion}\`.`,
  }));
}

/**
 * A secret named for an OAuth token in the API-key slot: the API takes only a Console key there and
 * rejects an OAuth token (`sk-ant-oat01-`) as an invalid key, so the run fails or another credential
 * answers. Judged on the name alone, so a warning.
 */
function oauthAsApiKey(inv: RoutedInvocation): Draft | undefined {
  const key = inv.bindings.get('ANTHROPIC_API_KEY');
  if (!key || key.value.presence === 'empty') return undefined;
  const names = key.value.secrets.filter((s) => OAUTH_NAME.test(s));
  if (names.length === 0) return undefined;
  const input = key.level === 'action-input';
  const slot = input ? 'the `anthropic_api_key` input' : '`ANTHROPIC_API_KEY`';
  const right = input ? 'the `claude_code_oauth_token` input' : '`CLAUDE_CODE_OAUTH_TOKEN`';
  return {
    ...credentialPlace(key),
    severity: 'warning',
    invocation: inv,
    related: [...credentialHops(key), { file: inv.file, span: inv.span, label: 'the Claude run it reaches' }],
    message:
      `${jobName(inv)} passes ${names.map((n) => `secrets.${n}`).join(' and ')} to ${inv.label} as ${slot}, an API-key slot, but its name says it holds a subscription OAuth token, which the API rejects as an invalid key: the run fails, or another credential answers. ` +
      `Pass the OAuth token as ${right} instead (a person's plan then pays), or store a Console API key in this secret.`,
  };
}

export const misnamedCredentialInput: Rule = {
  id: 'misnamed-credential-input',
  severity: 'error',
  summary:
    'A credential passed under a name that does not fit it: an input the action does not have, or an OAuth token in an API-key slot.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ invocations }) {
    return invocations.flatMap((inv) => {
      const draft = oauthAsApiKey(inv);
      return [...(inv.inner === undefined ? ignoredInputs(inv) : []), ...(draft ? [draft] : [])];
    });
  },
};
