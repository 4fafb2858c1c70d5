import { describeSource } from '../claude/values.js';
import type { Rule } from './rule.js';
import { jobName } from './rule.js';

export const misnamedCredentialInput: Rule = {
  id: 'misnamed-credential-input',
  severity: 'error',
  summary: 'A credential passed under an input name the action does not have never reaches Claude.',
  check({ invocations }) {
    return invocations
      .filter((inv) => inv.inner === undefined)
      .flatMap((inv) =>
        inv.ignoredInputs.map(({ entry, suggestion, value }) => ({
          file: inv.file,
          span: entry.nameSpan,
          invocation: inv,
          message:
            `${jobName(inv)} passes ${describeSource(value)} to ${inv.label} as \`${entry.name}\`, an input the action does not have, so it is ignored and never reaches Claude. ` +
            `Rename it to \`${suggestion}\`.`,
        })),
      );
  },
};
