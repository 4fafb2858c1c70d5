import { CREDENTIAL_VARIABLES } from '../claude/precedence.js';
import type { Rule, RoutedInvocation } from './rule.js';
import { secretsMapping } from './broad-credential-scope.js';
import { jobName } from './rule.js';
import { runnerOf } from '../workflow/runner.js';

/** Why a credential the workflow names arrives empty (a secret the caller does not pass, say). */
function whyEmpty(inv: RoutedInvocation): string | undefined {
  for (const variable of CREDENTIAL_VARIABLES) {
    const b = inv.bindings.get(variable);
    if (b?.value.presence === 'empty' && b.value.why) return b.value.why;
  }
  // A credential the job sets that the action never passes on (the base action reads inputs only).
  const hidden = inv.hidden.find((h) => CREDENTIAL_VARIABLES.includes(h.binding.variable));
  return hidden?.why;
}

/** The secrets the caller leaves out: named by the credentials that arrive empty. */
function missingSecrets(inv: RoutedInvocation): string[] {
  const names = CREDENTIAL_VARIABLES.flatMap((v) => {
    const b = inv.bindings.get(v);
    return b?.value.presence === 'empty' ? b.value.secrets : [];
  });
  return [...new Set(names)];
}

function advice(inv: RoutedInvocation, why: string | undefined): string {
  if (inv.kind === 'reusable-workflow' && why) {
    const names = missingSecrets(inv);
    const mapping = secretsMapping(names.length > 0 ? names : ['ANTHROPIC_API_KEY']);
    return `Pass the secret to the reusable workflow: \`${mapping}\` on the calling job.`;
  }
  // The run's own kind, or the kind of the run a wrapper (composite action, reusable workflow) holds.
  const kinds = [inv.kind, inv.inner?.kind];
  if (kinds.includes('claude-code-security-review'))
    return 'Pass `claude-api-key: ${{ secrets.ANTHROPIC_API_KEY }}`: the action reads no other credential.';
  if (kinds.includes('claude-code-action') || kinds.includes('claude-code-base-action')) {
    return 'Pass `anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}` (or a cloud provider or workload identity).';
  }
  const key = 'Set `ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}` in the step env';
  if (inv.bare) return `${key}: it is what \`--bare\` reads.`;
  // The Agent SDK has no --bare: the key in its environment is what makes the route the API's.
  if (kinds.includes('agent-sdk')) return `${key}; the Agent SDK uses it ahead of any stored login.`;
  // Repeat how the run starts Claude (`npx -y @anthropic-ai/claude-code@latest`), so the fix fits the line.
  const command = inv.command ?? 'claude';
  if (command === 'claude') return `${key} and run \`claude -p --bare\` so no login is read.`;
  return `${key} and add \`--bare\` to \`${command}\` so no login is read.`;
}

/**
 * What happens with nothing API-side: bare mode reads no login, profile or federation, and a fresh
 * GitHub-hosted machine has no login to fall back on.
 */
function fallback(inv: RoutedInvocation): string {
  if (inv.bare)
    return 'and under `--bare` (CLAUDE_CODE_SIMPLE) it reads no stored login, profile or federation, so the run simply fails';
  return runnerOf(inv) === 'github-hosted'
    ? 'so it fails: a GitHub-hosted runner has no stored login to fall back on'
    : 'so it will use a stored subscription login or fail';
}

export const headlessWithoutApiRoute: Rule = {
  id: 'headless-without-api-route',
  severity: 'error',
  summary:
    'A headless Claude run with no API-side credential falls back to a stored subscription login, or fails.',
  silencedByAllow: true,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ invocations }) {
    return invocations
      .filter((inv) => inv.headless && inv.route.kind === 'subscription-login')
      .map((inv) => {
        const why = whyEmpty(inv);
        return {
          file: inv.file,
          span: inv.span,
          invocation: inv,
          message:
            `${jobName(inv)} runs Claude Code headlessly (${inv.label}) with no API-side credential${why ? ` (${why})` : ''}, ${fallback(inv)}. ` +
            advice(inv, why),
        };
      });
  },
};
