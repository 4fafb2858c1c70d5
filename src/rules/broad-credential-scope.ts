import { IS_CREDENTIAL_VARIABLE } from '../claude/precedence.js';
import type { Draft, Rule } from './rule.js';

/** A `secrets:` mapping on one line that YAML and GitHub both accept (quoted, so `${{ }}` is no flow map). */
export function secretsMapping(names: readonly string[]): string {
  return `secrets: { ${names.map((n) => `${n}: "\${{ secrets.${n} }}"`).join(', ')} }`;
}

export const broadCredentialScope: Rule = {
  id: 'broad-credential-scope',
  severity: 'warning',
  summary: 'A credential in workflow-level env, or `secrets: inherit` into a workflow that runs Claude.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
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
      const runs = invocations.filter((inv) => inv.job === job.id && inv.kind === 'reusable-workflow');
      if (runs.length === 0) continue;
      // The callee's own names: a Vertex or Bedrock workflow reads cloud credentials, not an Anthropic key.
      const names = [...new Set(runs.flatMap((inv) => inv.calleeSecrets ?? []))].sort();
      const fix =
        names.length > 0
          ? `Pass only the secrets it reads: \`${secretsMapping(names)}\`.`
          : 'It names no secret of its own, so pass none: remove `secrets: inherit`.';
      out.push({
        file: doc.file,
        span: job.secretsInherit,
        invocation: runs[0]!,
        concerns: runs.slice(1),
        message: `Job \`${job.id}\` passes every repository secret (\`secrets: inherit\`) to ${job.uses?.text.trim()}, which runs Claude Code. ${fix}`,
      });
    }
    return out;
  },
};
