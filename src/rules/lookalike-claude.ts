import { scriptFacts } from '../claude/commands.js';
import type { Draft, Rule } from './rule.js';
import { jobName, stepsOf } from './rule.js';

export const lookalikeClaude: Rule = {
  id: 'lookalike-claude',
  severity: 'warning',
  summary: 'An action, package or binary that looks like Claude Code but is not Anthropic’s.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'job',
  confidence: 'name',
  check({ doc, invocations }) {
    const out: Draft[] = invocations
      .filter((inv) => inv.kind === 'lookalike' && inv.action)
      .map((inv) => {
        const a = inv.action!;
        const misspelt = a.owner.toLowerCase() !== 'anthropics' && /^anthrop/i.test(a.owner);
        return {
          file: inv.file,
          span: inv.span,
          invocation: inv,
          message: misspelt
            ? `${jobName(inv)} uses \`${a.owner}/${a.repo}\`, a misspelt owner: Anthropic’s action is \`anthropics/${a.repo}\`, and whoever owns \`${a.owner}\` gets your credentials. Use \`anthropics/claude-code-action@v1\`.`
            : `${jobName(inv)} uses \`${a.owner}/${a.repo}\`, a fork of Anthropic’s action that receives your Claude credentials. Use \`anthropics/claude-code-action@v1\`, or pin the fork to a reviewed commit.`,
        };
      });
    for (const { step, jobId } of stepsOf(doc)) {
      if (!step.run || !/claude-c(ode|li)|@anthropic\//.test(step.run.text)) continue;
      const run = step.run;
      for (const m of scriptFacts(run).meanings) {
        if (m.kind !== 'lookalike') continue;
        const where = jobName(jobId);
        out.push({
          file: doc.file,
          span: run.spanAt(m.word.start, m.word.end),
          message: `${where} runs or installs ${m.what}. Anthropic’s CLI is the npm package \`@anthropic-ai/claude-code\` and its binary is \`claude\`.`,
        });
      }
    }
    return out;
  },
};
