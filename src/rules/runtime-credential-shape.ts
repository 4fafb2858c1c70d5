import { IS_CREDENTIAL_VARIABLE } from '../claude/precedence.js';
import { SHAPE_NAMES } from '../runtime/facts.js';
import type { RuntimeDraft, RuntimeRule } from './runtime-rule.js';

const WRONG_IN_KEY = new Set(['oauth-token', 'oauth-refresh-token', 'admin-key', 'enterprise-admin-key']);

export const runtimeCredentialShape: RuntimeRule = {
  id: 'runtime-credential-shape',
  severity: 'error',
  summary:
    'On the runner, an API-key variable holds an OAuth token or an admin key, or a credential is set but empty.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'fact',
  check({ facts }) {
    const out: RuntimeDraft[] = [];
    for (const v of facts.variables) {
      if (v.name === 'ANTHROPIC_API_KEY' && WRONG_IN_KEY.has(v.shape)) {
        out.push({
          message: `ANTHROPIC_API_KEY on this runner is ${SHAPE_NAMES[v.shape]}, which the API rejects as a key. Put a Console API key (sk-ant-api03-…) in the secret${v.shape === 'oauth-token' ? ', or pass the token as CLAUDE_CODE_OAUTH_TOKEN if a subscription is meant to pay' : ''}.`,
        });
      } else if (
        v.name === 'CLAUDE_CODE_OAUTH_TOKEN' &&
        (v.shape === 'console-key' || v.shape === 'admin-key')
      ) {
        out.push({
          message: `CLAUDE_CODE_OAUTH_TOKEN on this runner is ${SHAPE_NAMES[v.shape]}. Pass a Console key as ANTHROPIC_API_KEY instead.`,
        });
      } else if (IS_CREDENTIAL_VARIABLE.has(v.name) && v.shape === 'empty') {
        const why = facts.runner.fork
          ? ' (this pull request comes from a fork, which gets no secrets)'
          : facts.runner.event === 'pull_request'
            ? ' (Dependabot and fork pull requests get no secrets)'
            : '';
        out.push({
          message: `${v.name} is set but empty on this runner${why}, so Claude Code skips it and falls through to the next route. Check that the secret exists and is passed to this job.`,
        });
      }
    }
    return out;
  },
};
