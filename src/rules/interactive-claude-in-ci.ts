import { scriptFacts } from '../claude/commands.js';
import type { Draft, Rule } from './rule.js';
import { jobName, stepsOf } from './rule.js';

export const interactiveClaudeInCi: Rule = {
  id: 'interactive-claude-in-ci',
  severity: 'error',
  summary: '`claude` without -p/--print in a job, or login, logout, setup-token or /login in a workflow.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'job',
  confidence: 'route',
  check({ doc, invocations }) {
    const out: Draft[] = invocations
      .filter((inv) => inv.kind === 'cli' && !inv.headless && !inv.argsUnknown)
      .map((inv) => ({
        file: inv.file,
        span: inv.span,
        invocation: inv,
        message:
          `${jobName(inv)} starts Claude Code interactively (\`${inv.label}\` without -p), which waits for a person who is not there and can fall back to a stored login. ` +
          'Run it headless: `claude -p "..." --max-turns N`.',
      }));
    for (const { step, jobId } of stepsOf(doc)) {
      // A sign-in command names claude; other scripts need no reading.
      if (!step.run || !step.run.text.includes('claude')) continue;
      const run = step.run;
      const { meanings } = scriptFacts(run);
      for (const m of meanings) {
        if (m.kind !== 'claude-auth') continue;
        const where = jobName(jobId);
        out.push({
          file: doc.file,
          span: run.spanAt(m.subcommand.start, m.subcommand.end),
          message:
            `${where} runs \`claude ${m.subcommand.text}\`, an interactive sign-in command that ties CI to a person’s login (or hangs waiting for a browser). ` +
            'Give the job an API-side credential instead: `ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}`.',
        });
      }
    }
    return out;
  },
};
