import type { RuntimeDraft, RuntimeRule } from './runtime-rule.js';

export const runtimeKeyCheck: RuntimeRule = {
  id: 'runtime-key-check',
  severity: 'error',
  summary: 'With verify-key: the key is invalid, revoked, not permitted, or bills another organisation.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'fact',
  check({ keyCheck, expectedOrganization }) {
    if (!keyCheck) return [];
    const out: RuntimeDraft[] = [];
    if (keyCheck.result === 'invalid')
      out.push({
        message:
          'ANTHROPIC_API_KEY was rejected (HTTP 401): it is invalid or revoked. Create a new key in the Console and update the secret.',
      });
    else if (keyCheck.result === 'forbidden')
      out.push({
        message:
          'ANTHROPIC_API_KEY is not permitted to list models (HTTP 403). Check the key’s workspace and permissions.',
      });
    else if (keyCheck.result === 'no-network')
      out.push({
        severity: 'warning',
        message: `The key check failed: ${keyCheck.detail ?? 'the Anthropic API could not be reached'}, so whether the key works and who pays is unknown.`,
      });
    else if (keyCheck.result === 'unexpected')
      out.push({
        severity: 'warning',
        message: `The key check is inconclusive: ${keyCheck.detail ?? `the Anthropic API answered HTTP ${keyCheck.status}`}, so whether the key works is unknown.`,
      });
    if (expectedOrganization && keyCheck.organization && keyCheck.organization !== expectedOrganization) {
      out.push({
        message: `ANTHROPIC_API_KEY bills organisation ${keyCheck.organization}, not the expected ${expectedOrganization}. Use a key from the expected organisation.`,
      });
    }
    return out;
  },
};
