import type { AnalysisProblem } from '../flow/environment.js';
import { misreadIgnores } from '../policy/ignores.js';
import type { Policy } from '../policy/policy.js';
import type { AllowUse } from '../policy/unused-allow.js';
import {
  ignoreWithoutReason,
  malformedIgnore,
  parseError,
  unusedAllow,
  unusedIgnore,
} from '../rules/engine.js';
import { ALL_RULE_IDS } from '../rules/index.js';
import type { Draft, RuleTraits } from '../rules/rule.js';
import type { Report } from '../types.js';
import type { ActionMetadata, Workflow } from '../workflow/model.js';
import type { IgnoreBook } from './ignores.js';

export interface EngineFinding {
  rule: RuleTraits;
  draft: Draft;
}

type Unresolved = Report['unresolved'][number];

/**
 * Engine findings of one file: each ignore comment written so that it suppresses nothing, and each callee
 * the analysis cut short for its budget. The other problems are references it could not follow: not
 * findings, but `unresolved` entries.
 */
export function fileEngineFindings(
  doc: Workflow | ActionMetadata,
  problems: readonly AnalysisProblem[],
): { findings: EngineFinding[]; unresolved: Unresolved[] } {
  const findings: EngineFinding[] = misreadIgnores(doc.source).map((misread) => ({
    rule: malformedIgnore,
    draft: { file: doc.file, span: misread.span, message: misread.message },
  }));
  const unresolved: Unresolved[] = [];
  for (const p of problems) {
    if (p.overBudget)
      findings.push({ rule: parseError, draft: { file: p.file, span: p.span, message: `${p.message}.` } });
    else {
      const entry: Unresolved = {
        file: p.file,
        line: p.span.line,
        column: p.span.column,
        message: p.message,
      };
      if (p.remoteUnread) entry.remoteUnread = true;
      unresolved.push(entry);
    }
  }
  return { findings, unresolved };
}

/**
 * Engine findings once every file has had its turn: in each scanned file, an ignore that gives no reason
 * or matched no finding, under the policy that file follows. An ignore naming no rule, or only rules this
 * version does not know, is malformed already (every() holds for empty brackets), not also unused.
 */
export function* ignoreFindings(ignores: IgnoreBook): Generator<EngineFinding & { policy: Policy }> {
  for (const { file, policy, ignores: inFile } of ignores.judged()) {
    for (const ignore of inFile) {
      if (ignore.rules.every((r) => !ALL_RULE_IDS.includes(r))) continue;
      const rules = ignore.rules.join(', ');
      if (!ignore.reason) {
        const message = `This ignore of ${rules} gives no reason; say why after the bracket so the next reader knows it is deliberate.`;
        yield { rule: ignoreWithoutReason, draft: { file, span: ignore.span, message }, policy };
      }
      if (!ignore.used) {
        const message = `This ignore of ${rules} matches no finding on this line or the next; remove it.`;
        yield { rule: unusedIgnore, draft: { file, span: ignore.span, message }, policy };
      }
    }
  }
}

/** Engine findings once every file has had its turn: each allow entry that matched no run it could. */
export function* allowFindings(allowUse: AllowUse): Generator<EngineFinding & { policy: Policy }> {
  for (const { policy, draft } of allowUse.unused()) yield { rule: unusedAllow, draft, policy };
}
