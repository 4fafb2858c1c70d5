import { IS_CREDENTIAL_VARIABLE } from '../claude/precedence.js';
import type { Draft, Rule } from './rule.js';
import {} from './rule.js';

export const broadCredentialScope: Rule = {
  id: 'broad-credential-scope',
  severity: 'warning',
  summary: 'A credential in workflow-level env, or `secrets: inherit` into a workflow that runs Claude.',
  check({ doc, invocations }) {
    if (doc.kind !== 'workflow') return [];
    const out: Draft[] = [];
    for (const entry of doc.env) {
      if (!IS_CREDENTIAL_VARIABLE.has(entry.name) || entry.value.text.trim() === '') continue;
      out.push({
        file: doc.file,
        span: entry.nameSpan,
        message:
          `${entry.name} is set in the workflow-level env, so every job and every third-party action in this workflow receives it. ` +
          'Move it to the env (or `with:`) of the one step that runs Claude.',
      });
    }
    for (const job of doc.jobs) {
      if (!job.secretsInherit) continue;
      const runsClaude = invocations.some((inv) => inv.job === job.id && inv.kind === 'reusable-workflow');
      if (!runsClaude) continue;
      out.push({
        file: doc.file,
        span: job.secretsInherit,
        message:
          `Job \`${job.id}\` passes every repository secret (\`secrets: inherit\`) to ${job.uses?.text.trim()}, which runs Claude Code. ` +
          'Pass only the credential it needs: `secrets: { ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }} }`.',
      });
    }
    return out;
  },
};
