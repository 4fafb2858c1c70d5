import { scriptFacts } from '../claude/commands.js';
import { jobNeverRuns } from '../claude/walker.js';
import { isClaudeCredential, isInertAction, opaqueProgram } from '../flow/consumers.js';
import type { Entry, Job } from '../workflow/model.js';
import type { Draft, Rule } from './rule.js';

function bound(entries: Entry[]): Entry[] {
  return entries.filter((e) => isClaudeCredential(e.name) && e.value.text.trim() !== '');
}

/**
 * A step that runs something the engine cannot see into, or a look-alike of Claude Code (no Claude run,
 * but a program that receives the credential): it may well use the credential.
 */
function runsProgram(job: Job): boolean {
  return job.steps.some((step) => {
    if (step.uses !== undefined && !isInertAction(step.uses.text)) return true;
    if (step.run === undefined) return false;
    const facts = scriptFacts(step.run);
    return (
      facts.commands.some((c) => opaqueProgram(c) !== undefined) ||
      facts.meanings.some((m) => m.kind === 'lookalike')
    );
  });
}

export const unusedCredential: Rule = {
  id: 'unused-credential',
  severity: 'notice',
  summary: 'A Claude credential bound in a job (or the workflow) that no Claude run or program receives.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'fact',
  check({ doc, invocations }) {
    if (doc.kind !== 'workflow') return [];
    const out: Draft[] = [];
    const draft = (entry: Entry, where: string): Draft => ({
      file: doc.file,
      span: entry.nameSpan,
      message:
        `${entry.name} is bound in ${where}, but nothing there runs Claude Code or a program that could: ` +
        'the secret is exposed to every step for no use. Remove it, or move it to the step that needs it.',
    });
    if (invocations.length === 0)
      for (const entry of bound(doc.env)) out.push(draft(entry, 'the workflow env'));
    for (const job of doc.jobs) {
      // Reading every script of a job for programs costs more than the rest of the rule: only when it binds one.
      const entries = bound([...job.env, ...job.containerEnv]);
      if (entries.length === 0) continue;
      if (
        job.uses ||
        jobNeverRuns(doc, job.id) ||
        runsProgram(job) ||
        invocations.some((inv) => inv.job === job.id)
      )
        continue;
      for (const entry of entries) out.push(draft(entry, `job \`${job.id}\``));
    }
    return out;
  },
};
