import { ALL_RULE_IDS } from '../rules/index.js';
import type { SourceFile } from '../workflow/source.js';
import { didYouMean, safeName } from './policy.js';
import type { Span } from '../types.js';

export interface InlineIgnore {
  line: number;
  span: Span;
  rules: string[];
  reason: string;
  used: boolean;
}

// `.*` takes the reason to the end of the line's text, so no `$` is needed.
const IGNORE = /#\s*claude-route-guard:\s*ignore\[([^\]]*)\]\s*(.*)/;

/** `# claude-route-guard: ignore[rule-a,rule-b] reason` comments of one file. */
export function readIgnores(source: SourceFile): InlineIgnore[] {
  const out: InlineIgnore[] = [];
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut; every line would fail IGNORE anyway
  if (!source.text.includes('claude-route-guard:')) return out;
  for (let line = 1; line <= source.lineCount; line++) {
    const text = source.lineText(line);
    const m = IGNORE.exec(text);
    if (!m) continue;
    const column = m.index + 1;
    out.push({
      line,
      span: { line, column, endLine: line, endColumn: text.length + 1 },
      rules: m[1]!
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
      reason: m[2]!.trim(),
      used: false,
    });
  }
  return out;
}

/** The ignore that covers a finding: on a line of its span or on the line above it. */
export function ignoreFor(ignores: InlineIgnore[], rule: string, span: Span): InlineIgnore | undefined {
  return ignores.find((i) => i.rules.includes(rule) && i.line >= span.line - 1 && i.line <= span.endLine);
}

/** Anything that looks like an attempt at an ignore comment, in any spelling or casing. */
const ATTEMPT = /#\s*claude[-_ ]?route[-_ ]?guard\b\s*:?\s*ignore\b(.*)$/i;

export interface MisreadIgnore {
  span: Span;
  message: string;
}

/**
 * Ignore comments that would suppress nothing because of how they are written: no brackets, a wrong
 * spelling, or a rule id the tool does not have. Each is reported rather than dropped in silence.
 */
export function misreadIgnores(source: SourceFile): MisreadIgnore[] {
  const out: MisreadIgnore[] = [];
  if (!/claude[-_ ]?route[-_ ]?guard/i.test(source.text)) return out;
  for (let line = 1; line <= source.lineCount; line++) {
    const text = source.lineText(line);
    const attempt = ATTEMPT.exec(text);
    if (!attempt) continue;
    const span = { line, column: attempt.index + 1, endLine: line, endColumn: text.length + 1 };
    const strict = IGNORE.exec(text);
    if (!strict) {
      const word = /^\W*([\w-]+)/.exec(attempt[1]!)?.[1];
      const id = word === undefined ? 'rule-id' : closestRule(word);
      out.push({
        span,
        message: `This comment suppresses nothing: an ignore is written \`# claude-route-guard: ignore[${id}] reason\`, with the rule ids in brackets.`,
      });
      continue;
    }
    const rules = strict[1]!
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    if (rules.length === 0)
      out.push({
        span,
        message: 'This ignore names no rule between its brackets, so it suppresses nothing.',
      });
    for (const rule of rules.filter((r) => !ALL_RULE_IDS.includes(r)))
      out.push({
        span,
        message: `This ignore names ${safeName(rule, '') ? `"${rule}"` : 'a rule id with unusual characters'}, which is not a rule${didYouMean(rule, ALL_RULE_IDS)}, so it suppresses nothing; \`claude-route-guard --list-rules\` lists them.`,
      });
  }
  return out;
}

/** The rule id a bare word most likely meant, or the word itself when none is close. */
function closestRule(word: string): string {
  if (ALL_RULE_IDS.includes(word)) return word;
  return /"([^"]+)"/.exec(didYouMean(word, ALL_RULE_IDS))?.[1] ?? word;
}
