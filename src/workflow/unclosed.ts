import type { Span } from '../types.js';
import { commentStart, type SourceFile } from './source.js';

/**
 * Each `${{` that no `}}` closes before the next `${{` (an expression holds none) or the end of the file,
 * outside comments: GitHub rejects the workflow. The span covers the `${{` and the rest of its line.
 */
export function unclosedExpressions(source: SourceFile): Span[] {
  const text = source.text;
  const out: Span[] = [];
  let at = text.indexOf('${{');
  while (at !== -1) {
    let inString = false;
    let j = at + 3;
    let next = -1;
    for (; j < text.length; j++) {
      if (text[j] === "'") inString = !inString;
      else if (inString) continue;
      else if (text[j] === '}' && text[j + 1] === '}') break;
      else if (text.startsWith('${{', j)) {
        next = j;
        break;
      }
    }
    if (j >= text.length || next !== -1) {
      const { line, column } = source.position(at);
      const lineText = source.lineText(line);
      const cut = commentStart(lineText);
      if (cut === -1 || column - 1 < cut)
        out.push({
          line,
          column,
          endLine: line,
          endColumn: Math.max(lineText.trimEnd().length + 1, column + 3),
        });
    }
    at = next !== -1 ? next : text.indexOf('${{', j + 2);
  }
  return out;
}
