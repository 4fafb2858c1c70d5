import { describe, expect, it } from '@jest/globals';
import { rowOf, scanBehaviour } from './behaviour.js';

// The official action checks, before Claude starts, that a key or an OAuth token is there unless a cloud
// provider is on. Beside a gateway token that key is never sent, but advice to remove it would break the run.
describe('a key kept for the official action’s validator beside a gateway token', () => {
  const report = () => scanBehaviour('gateway-behind-validator.yml');

  it('is shadowed, and the advice is the usual gateway setup, not removing it', () => {
    const r = report();
    expect(rowOf(r, 'validator-placeholder', 'anthropics/claude-code-action@v1')).toMatchObject({
      route: 'gateway-token',
      certainty: 'known',
      endpoint: 'https://llm-gateway.example.com',
    });
    expect(
      rowOf(r, 'validator-placeholder', 'anthropics/claude-code-action@v1').shadowed.map((s) => s.variable),
    ).toEqual(['ANTHROPIC_API_KEY']);
    expect(rowOf(r, 'cli').shadowed.map((s) => s.variable)).toEqual(['ANTHROPIC_API_KEY']);
    const shadowed = r.findings.filter((f) => f.rule === 'shadowed-credential');
    expect(
      r.findings.filter((f) => f.rule !== 'shadowed-credential').map((f) => [f.rule, f.span.line]),
    ).toEqual([
      ['third-party-endpoint', 9],
      ['third-party-endpoint', 20],
    ]);
    expect(shadowed.map((f) => [f.rule, f.severity, f.span.line, f.span.column, f.message])).toEqual([
      [
        'shadowed-credential',
        'warning',
        14,
        30,
        'Job `validator-placeholder` gives anthropics/claude-code-action@v1 both ANTHROPIC_AUTH_TOKEN (secrets.GATEWAY_TOKEN, route gateway-token) and ANTHROPIC_API_KEY (route api-key); Claude Code uses ANTHROPIC_AUTH_TOKEN, so ANTHROPIC_API_KEY is never used. ' +
          'The action refuses to start without ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN when no cloud provider is on, so do not just remove it: pass the gateway token itself as anthropic_api_key (with ANTHROPIC_BASE_URL set, it goes to the gateway) and drop ANTHROPIC_AUTH_TOKEN.',
      ],
      [
        'shadowed-credential',
        'warning',
        22,
        26,
        'Job `cli` gives claude -p both ANTHROPIC_AUTH_TOKEN (secrets.GATEWAY_TOKEN, route gateway-token) and ANTHROPIC_API_KEY (route api-key); Claude Code uses ANTHROPIC_AUTH_TOKEN, so ANTHROPIC_API_KEY is never used. ' +
          'Remove ANTHROPIC_API_KEY from this job, or remove ANTHROPIC_AUTH_TOKEN if api-key is the route you meant.',
      ],
    ]);
  });
});
