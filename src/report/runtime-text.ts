import type { RuntimeFacts } from '../runtime/facts.js';
import { SHAPE_NAMES } from '../runtime/facts.js';
import type { RouteRow } from '../types.js';
import type { Finding } from '../types.js';

/** What the probe saw on this machine, as text: presence and shape only. */
export function formatRuntimeText(facts: RuntimeFacts, row: RouteRow, findings: Finding[]): string {
  const out = [`This machine: ${row.label}`, ''];
  const width = Math.max(...facts.variables.map((v) => v.name.length));
  for (const v of facts.variables) {
    const state = v.switch
      ? `${SHAPE_NAMES[v.shape]} (${v.switch}${v.shown !== undefined ? `: "${v.shown}"` : ''})`
      : v.shown
        ? `${SHAPE_NAMES[v.shape]} (${v.shown})`
        : SHAPE_NAMES[v.shape];
    out.push(`  ${v.name.padEnd(width)}  ${state}`);
  }
  out.push('');
  out.push(
    facts.storedLogins.length > 0
      ? `Stored logins: ${facts.storedLogins.map((l) => `${l.path} (${l.kind === 'subscription' ? 'subscription login' : '/login managed Console key'})`).join(', ')}`
      : 'Stored logins: none found',
  );
  for (const s of facts.settings) {
    out.push(
      `Settings ${s.path}: ${[...s.env.map((e) => `env ${e}`), ...(s.apiKeyHelper ? ['apiKeyHelper'] : [])].join(', ') || 'no route settings'}`,
    );
  }
  for (const place of facts.unchecked) out.push(`Not checked: ${place}`);
  const winner = row.credential
    ? `${row.credential.variable} from ${row.credential.source}`
    : 'no credential';
  out.push('', `Route here: ${row.route} (${winner})${row.reason ? `; ${row.reason}` : ''}`);
  for (const f of findings) out.push(`${f.severity}: ${f.message} [${f.rule}]`);
  return out.join('\n');
}
