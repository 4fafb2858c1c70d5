import type { RuntimeRule } from './runtime-rule.js';

export const runtimeRouteMismatch: RuntimeRule = {
  id: 'runtime-route-mismatch',
  severity: 'warning',
  summary:
    'The route Claude Code would take on this runner differs from what the workflow declares for the job.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'fact',
  check({ route, declared, facts }) {
    if (!declared || declared.route.certainty !== 'known' || route.certainty !== 'known') return [];
    if (declared.route.kind === route.kind) return [];
    const declaredWhat = declared.route.winner ? declared.route.winner.origin.variable : 'no credential';
    const hint = facts.runner.fork
      ? ' This pull request comes from a fork, so its secrets are empty.'
      : route.winner?.origin.source === 'environment'
        ? ' A variable the workflow does not set comes from the runner machine itself.'
        : '';
    if (!route.winner) {
      // Nothing reaches Claude Code here: it falls back to a stored subscription login, which a
      // fresh runner does not have, so the run stops at a sign-in error instead of billing anyone.
      const what = declared.route.winner ? `the secret behind ${declaredWhat}` : 'a credential';
      return [
        {
          message:
            `On this runner, job \`${declared.job}\` has no Claude credential, so Claude Code would look for a stored subscription login, which a fresh runner does not have: the run stops at a sign-in error. The workflow declares ${declared.route.kind} (${declaredWhat}).${hint} ` +
            `Check that ${what} exists in this repository or organisation and that the job passes it.`,
        },
      ];
    }
    const runnerWhat = `${route.winner.origin.variable} from ${route.winner.origin.source}`;
    return [
      {
        message:
          `On this runner job \`${declared.job}\` would take the ${route.kind} route (${runnerWhat}), but the workflow declares ${declared.route.kind} (${declaredWhat}).${hint} ` +
          'Make the runner match the workflow: remove the stray credential or login, or pass the declared one.',
      },
    ];
  },
};
