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

/** A word at the start of a comment and the separators after it (`claude-`, `guard: `). */
const WORD = /([a-z]+)[\s:_-]*/iy;

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours,
 * the slips a hand makes (`gaurd`, `ingore`).
 */
function slips(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * An ignore attempt in a line's comments: the prefix and the word `ignore` each within two slips of the
 * real spelling, in any casing or separators. `ignores`/`ignored` after the tool's name are ordinary
 * English, not a typo. Returns where the comment starts, whether it is spelt exactly, and what follows.
 */
function attemptIn(text: string): { index: number; exact: boolean; rest: string } | undefined {
  for (let hash = text.indexOf('#'); hash !== -1; hash = text.indexOf('#', hash + 1)) {
    // The first five words of this comment, each with where the text after it starts.
    const words: { word: string; end: number }[] = [];
    WORD.lastIndex = hash + 1 + /^\s*/.exec(text.slice(hash + 1))![0].length;
    for (let m = WORD.exec(text); m && words.length < 5; m = WORD.exec(text))
      words.push({ word: m[1]!.toLowerCase(), end: m.index + m[1]!.length });
    // The prefix is one to three words (`claude-route-guard`, `clauderouteguard`), then the ignore word.
    for (let k = 1; k < words.length && k <= 3; k++) {
      const prefix = words
        .slice(0, k)
        .map((w) => w.word)
        .join('');
      const word = words[k]!.word;
      if (/^ignor(e[sd]|ing)$/.test(word)) continue;
      const prefixSlips = slips(prefix, 'clauderouteguard');
      const wordSlips = slips(word, 'ignore');
      if (prefixSlips > 2 || wordSlips > 2) continue;
      return { index: hash, exact: prefixSlips === 0 && wordSlips === 0, rest: text.slice(words[k]!.end) };
    }
  }
  return undefined;
}

export interface MisreadIgnore {
  span: Span;
  message: string;
}

/**
 * Ignore comments that would suppress nothing because of how they are written: no brackets, a misspelt
 * prefix or `ignore`, or a rule id the tool does not have. Each is reported rather than dropped in silence.
 */
export function misreadIgnores(source: SourceFile): MisreadIgnore[] {
  const out: MisreadIgnore[] = [];
  // Two slips leave at least one of the prefix's three words whole: a file with none has no attempt.
  if (!/claude|route|guard/i.test(source.text)) return out;
  for (let line = 1; line <= source.lineCount; line++) {
    const text = source.lineText(line);
    if (!text.includes('#') || !/claude|route|guard/i.test(text)) continue;
    const attempt = attemptIn(text);
    if (!attempt) continue;
    const span = { line, column: attempt.index + 1, endLine: line, endColumn: text.length + 1 };
    const strict = IGNORE.exec(text);
    if (!strict || !attempt.exact) {
      // The rule it meant: the first id in its brackets, or the first word after `ignore`.
      const word = /^\W*([\w-]+)/.exec(attempt.rest)?.[1];
      const id = word === undefined ? 'rule-id' : closestRule(word);
      const form = `\`# claude-route-guard: ignore[${id}] reason\``;
      out.push({
        span,
        message: attempt.exact
          ? `This comment suppresses nothing: an ignore is written ${form}, with the rule ids in brackets.`
          : `This comment suppresses nothing: its prefix or \`ignore\` is misspelt; an ignore is spelt exactly ${form}.`,
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
