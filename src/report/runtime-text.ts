import type { AnthropicProfile, ProfileAuth } from '../runtime/anthropic-config.js';
import type { RuntimeFacts, StoredLogin } from '../runtime/facts.js';
import type { ManagedSettings } from '../runtime/managed.js';
import { SHAPE_NAMES } from '../runtime/facts.js';
import type { RouteRow } from '../types.js';
import type { Finding } from '../types.js';

const STORED_LOGIN: Record<StoredLogin['kind'], string> = {
  subscription: 'subscription login',
  'console-key': 'legacy Console login, a stored API key',
};

const PROFILE_AUTH: Record<ProfileAuth, string> = {
  user_oauth: 'keyless Console sign-in',
  oidc_federation: 'federation',
  unrecognised: 'sign-in mode not recognised',
};

function profileText(p: AnthropicProfile): string {
  const notes = [
    PROFILE_AUTH[p.auth],
    p.active ? 'active' : '',
    p.auth === 'user_oauth' && !p.signedIn ? 'signed out' : '',
  ];
  return `${p.name} (${notes.filter(Boolean).join(', ')})`;
}

/** The managed settings that change a job's credentials: names, closed values and counts only. */
function managedText(m: ManagedSettings): string[] {
  if (m.files.length === 0 && m.unreadable.length === 0) return [];
  const orgs = m.forceLoginOrgUUID?.value;
  const allowed = m.allowedProviders?.value;
  const set = [
    m.forceLoginMethod && `forceLoginMethod ${m.forceLoginMethod.value}`,
    m.forceLoginGatewayUrl && `forceLoginGatewayUrl ${m.forceLoginGatewayUrl.value}`,
    orgs !== undefined && `forceLoginOrgUUID (${orgs} organisation${orgs === 1 ? '' : 's'})`,
    allowed === 'invalid' && 'allowedProviders (not a list)',
    allowed &&
      allowed !== 'invalid' &&
      `allowedProviders [${allowed.listed.join(', ')}]${allowed.unrecognised ? ` and ${allowed.unrecognised} other entries` : ''}`,
  ].filter((s): s is string => typeof s === 'string');
  const files = [...m.files, ...m.unreadable.map((f) => `${f} (not JSON)`)];
  return [`Managed settings ${files.join(', ')}: ${set.join(', ') || 'nothing that changes a route'}`];
}

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
      ? `Stored logins: ${facts.storedLogins.map((l) => `${l.path} (${STORED_LOGIN[l.kind]})`).join(', ')}`
      : 'Stored logins: none found',
  );
  out.push(`Anthropic profiles: ${facts.anthropic.profiles.map(profileText).join(', ') || 'none found'}`);
  for (const s of facts.settings) {
    out.push(
      `Settings ${s.path}: ${[...s.env.map((e) => `env ${e}`), ...(s.apiKeyHelper ? ['apiKeyHelper'] : [])].join(', ') || 'no route settings'}`,
    );
  }
  out.push(...managedText(facts.managed));
  for (const place of facts.unchecked) out.push(`Not checked: ${place}`);
  const winner = row.credential
    ? `${row.credential.variable} from ${row.credential.source}`
    : 'no credential';
  out.push('', `Route here: ${row.route} (${winner})${row.reason ? `; ${row.reason}` : ''}`);
  for (const f of findings) out.push(`${f.severity}: ${f.message} [${f.rule}]`);
  return out.join('\n');
}
