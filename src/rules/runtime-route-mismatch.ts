import type { RuntimeRule } from './runtime-rule.js';

export const runtimeRouteMismatch: RuntimeRule = {
  id: 'runtime-route-mismatch',
  severity: 'warning',
  summary:
    'The route Claude Code would take on this runner differs from what the workflow declares for the job.',
  check({ route, declared, facts }) {
    if (!declared || declared.route.certainty !== 'known' || route.certainty !== 'known') return [];
    if (declared.route.kind === route.kind) return [];
    const runnerWhat = route.winner
      ? `${route.winner.origin.variable} from ${route.winner.origin.source}`
      : 'no credential at all';
    const declaredWhat = declared.route.winner ? declared.route.winner.origin.variable : 'no credential';
    const hint = facts.runner.fork
      ? ' This pull request comes from a fork, so its secrets are empty.'
      : route.winner?.origin.source === 'environment'
        ? ' A variable the workflow does not set comes from the runner machine itself.'
        : '';
    return [
      {
        message:
          `On this runner job \`${declared.job}\` would take the ${route.kind} route (${runnerWhat}), but the workflow declares ${declared.route.kind} (${declaredWhat}).${hint} ` +
          'Make the runner match the workflow: remove the stray credential or login, or pass the declared one.',
      },
    ];
  },
};
