import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CATALOGUE, ruleById } from './index.js';
import { docsUrl } from './rule.js';

/** The catalogue, one line per rule, for `--list-rules`. */
export function listRules(): string {
  const rows = CATALOGUE.map((r) => [r.id, r.severity, r.summary]);
  const width = Math.max(...rows.map((r) => r[0]!.length));
  return rows
    .map(([id, severity, summary]) => `${id!.padEnd(width)}  ${severity!.padEnd(7)}  ${summary}`)
    .join('\n');
}

/** The docs page of a rule: from the source tree or next to the bundle, else its summary and link. */
export function explainRule(id: string): string | undefined {
  const rule = ruleById(id);
  if (!rule) return undefined;
  for (const relative of [`../../docs/rules/${id}.md`, `../docs/rules/${id}.md`]) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  return `# ${id}\n\n${rule.summary}\n\n${docsUrl(id)}\n`;
}
