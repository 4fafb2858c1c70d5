import type { SourceFile } from '../workflow/source.js';
import type { Span } from '../types.js';

export interface InlineIgnore {
  line: number;
  span: Span;
  rules: string[];
  reason: string;
  used: boolean;
}

const IGNORE = /#\s*claude-route-guard:\s*ignore\[([^\]]*)\]\s*(.*)$/;

/** `# claude-route-guard: ignore[rule-a,rule-b] reason` comments of one file. */
export function readIgnores(source: SourceFile): InlineIgnore[] {
  const out: InlineIgnore[] = [];
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
