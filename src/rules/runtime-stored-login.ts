import type { RuntimeRule } from './runtime-rule.js';

export const runtimeStoredLogin: RuntimeRule = {
  id: 'runtime-stored-login',
  severity: 'error',
  summary: 'A stored subscription login is on the runner and no API-side credential is live, so a plan pays.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'fact',
  check({ facts, route }) {
    const winner = route.winner;
    if (!winner || winner.variable !== 'stored-login' || winner.kind !== 'subscription-login') return [];
    return [
      {
        message:
          `This ${facts.runner.environment === 'self-hosted' ? 'self-hosted ' : ''}runner has a stored Claude subscription login (${winner.origin.source}) and no API-side credential is set, so Claude Code here bills whoever logged in. ` +
          'Set ANTHROPIC_API_KEY from a secret for the Claude step (and run `claude -p --bare`), or remove the login from the runner with `claude auth logout`.',
      },
    ];
  },
};
