import { RULES } from '../rules/index.js';
import type { Draft, RoutedInvocation, Rule } from '../rules/rule.js';
import type { Repo } from '../sources/repo.js';
import type { ActionMetadata, Workflow } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';
import type { IgnoreBook } from './ignores.js';
import { placeInRepository } from './place.js';

/**
 * Rules, with placement and ignores: every rule's drafts for one file, in the catalogue's order. Each is
 * placed in the repository (a finding inside a remote callee lands on the caller's `uses:`), dropped for a
 * run whose route an allow entry declares intended when the rule judges the route itself, and dropped when
 * an inline ignore in the file that holds it covers it (that ignore is then used).
 */
export function ruleFindings(
  doc: Workflow | ActionMetadata,
  runs: RoutedInvocation[],
  intended: ReadonlyMap<RoutedInvocation, string>,
  repo: Repo,
  ignores: IgnoreBook,
): { rule: Rule; draft: Draft }[] {
  const sourceOf = (file: string): SourceFile | undefined =>
    file === doc.file ? doc.source : repo.source?.(file);
  const out: { rule: Rule; draft: Draft }[] = [];
  for (const rule of RULES) {
    for (const found of rule.check({ doc, invocations: runs })) {
      const draft = placeInRepository(found, runs);
      if (!draft) continue;
      if (draft.invocation && intended.has(draft.invocation) && rule.silencedByAllow) continue;
      if (ignores.covers(draft.file, () => sourceOf(draft.file), rule.id, draft.span)) continue;
      out.push({ rule, draft });
    }
  }
  return out;
}
