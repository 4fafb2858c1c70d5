import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import { analyseRuntime } from '../src/passes/runner.js';
import { probeRunner, systemManagedSettingsDir } from '../src/runtime/probe.js';
import { formatRuntimeText } from '../src/report/runtime-text.js';
import { tempFolder } from './helpers.js';

const KEY = 'sk-ant-api03-' + 'k'.repeat(40);
/** Values from managed settings files that no output may show. */
const CANARY = 'CANARYMANAGED';
const CANARY_URL = `https://gw.example.com:8443/tenant/${CANARY}/v1?token=${CANARY}`;
const CANARY_ORG = `${CANARY}-0000-1111-2222`;

const folder = (files: Record<string, string> = {}): string => tempFolder(files, 'crg-managed-');

function runner(managed: Record<string, unknown>, env: Record<string, string> = {}, workspace = folder()) {
  const dir = folder(
    Object.fromEntries(
      Object.entries(managed).map(([path, json]) => [
        path,
        typeof json === 'string' ? json : JSON.stringify(json),
      ]),
    ),
  );
  const masked: string[] = [];
  const facts = probeRunner({
    env,
    home: folder(),
    workspace,
    platform: 'linux',
    managedSettingsDir: dir,
    mask: (v) => masked.push(v),
  });
  const { row, findings } = analyseRuntime({ facts });
  const out = findings.map((f) => [f.rule, f.severity, f.message.replaceAll(dir, '<managed>')]);
  return { dir, facts, row, findings, masked, out, text: formatRuntimeText(facts, row, findings) };
}

const BASE = 'managed-settings.json';

describe('managed settings on a self-hosted runner', () => {
  it('reads the base file, then managed-settings.d/*.json by name, later files winning, hidden ones skipped', () => {
    const { dir, facts } = runner({
      [BASE]: {
        forceLoginMethod: 'gateway',
        allowedProviders: ['anthropic'],
        env: { CLAUDE_CODE_USE_BEDROCK: '1' },
      },
      'managed-settings.d/50-team.json': { forceLoginMethod: 'console', allowedProviders: ['bedrock'] },
      'managed-settings.d/10-org.json': {
        allowedProviders: ['vertex', 'anthropic'],
        env: { ANTHROPIC_API_KEY: KEY },
      },
      'managed-settings.d/.draft.json': { forceLoginMethod: 'gateway' },
      'managed-settings.d/notes.txt': 'not settings',
    });
    const d = join(dir, 'managed-settings.d');
    expect(facts.managed).toEqual({
      files: [join(dir, BASE), join(d, '10-org.json'), join(d, '50-team.json')],
      unreadable: [],
      forceLoginMethod: { value: 'console', files: [join(d, '50-team.json')] },
      allowedProviders: {
        value: { listed: ['anthropic', 'vertex', 'bedrock'], unrecognised: 0 },
        files: [join(dir, BASE), join(d, '10-org.json'), join(d, '50-team.json')],
      },
    });
    // Settings `env` blocks: the last file merged is the highest, so it is listed first.
    expect(facts.settings.map((s) => [s.path, s.env])).toEqual([
      [join(d, '50-team.json'), []],
      [join(d, '10-org.json'), ['ANTHROPIC_API_KEY']],
      [join(dir, BASE), ['CLAUDE_CODE_USE_BEDROCK']],
    ]);
  });

  it('reads the system folder Claude Code documents for Linux and macOS when no folder is given', () => {
    expect(systemManagedSettingsDir('linux')).toBe('/etc/claude-code');
    expect(systemManagedSettingsDir('darwin')).toBe('/Library/Application Support/ClaudeCode');
    expect(systemManagedSettingsDir('win32')).toBe('C:\\Program Files\\ClaudeCode');
  });

  it('gateway-only (forceLoginMethod "gateway"): the job key is never used, an error', () => {
    const { out, row } = runner({ [BASE]: { forceLoginMethod: 'gateway' } }, { ANTHROPIC_API_KEY: KEY });
    expect(out).toEqual([
      [
        'runtime-managed-settings',
        'error',
        'Managed settings make this machine gateway-only (forceLoginMethod "gateway" in <managed>/managed-settings.json): Claude Code here skips every other credential unless a cloud provider variable is set, so the job\'s ANTHROPIC_API_KEY (from environment) is never used; the run signs in through the Claude apps gateway, whose owner pays, or fails where the machine has no gateway sign-in. Run this job on a runner without that setting, or through a cloud provider.',
      ],
    ]);
    expect(row.verdict).toBe('error: runtime-managed-settings');
  });

  it('gateway-only (forceLoginGatewayUrl): names the gateway by its origin only', () => {
    const { out, facts, text } = runner(
      { 'managed-settings.d/gw.json': { forceLoginGatewayUrl: CANARY_URL } },
      { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-' + 'o'.repeat(40) },
    );
    expect(facts.managed.forceLoginGatewayUrl?.value).toBe('https://gw.example.com:8443/…');
    expect(out).toEqual([
      [
        'runtime-managed-settings',
        'error',
        expect.stringMatching(
          /^Managed settings make this machine gateway-only \(forceLoginGatewayUrl https:\/\/gw\.example\.com:8443\/… in <managed>\/managed-settings\.d\/gw\.json\): .* so the job's CLAUDE_CODE_OAUTH_TOKEN \(from environment\) is never used; the run signs in through the Claude apps gateway at https:\/\/gw\.example\.com:8443\/…, whose owner pays/,
        ),
      ],
    ]);
    expect(text).toContain('forceLoginGatewayUrl https://gw.example.com:8443/…');
    expect(JSON.stringify({ facts, out }) + text).not.toContain(CANARY);
  });

  it('gateway-only leaves a job on a cloud provider alone, and only notes it for a job with no credential', () => {
    expect(
      runner(
        { [BASE]: { forceLoginMethod: 'gateway' } },
        { CLAUDE_CODE_USE_VERTEX: '1', ANTHROPIC_API_KEY: KEY },
      ).out,
    ).toEqual([]);
    expect(runner({ [BASE]: { forceLoginMethod: 'gateway' } }).out).toEqual([
      [
        'runtime-managed-settings',
        'notice',
        'Managed settings make this machine gateway-only (forceLoginMethod "gateway" in <managed>/managed-settings.json): with no credential of its own, a Claude run here signs in through the Claude apps gateway, whose owner pays.',
      ],
    ]);
    expect(runner({ [BASE]: { forceLoginMethod: 'console' } }, { ANTHROPIC_API_KEY: KEY }).out).toEqual([]);
  });

  it('forceLoginOrgUUID blocks ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and apiKeyHelper at startup, without naming the organisation', () => {
    const org = { [BASE]: { forceLoginOrgUUID: CANARY_ORG } };
    const blocked = (what: string, source: string) => [
      'runtime-managed-settings',
      'error',
      `forceLoginOrgUUID in <managed>/managed-settings.json requires every login to belong to 1 organisation, and Claude Code blocks ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and apiKeyHelper at startup: the job's ${what} (from ${source}) is refused, so the run fails instead of billing it. Give this job a login of that organisation, or run it on a runner without this setting.`,
    ];
    expect(runner(org, { ANTHROPIC_API_KEY: KEY }).out).toEqual([
      blocked('ANTHROPIC_API_KEY', 'environment'),
    ]);
    expect(runner(org, { ANTHROPIC_AUTH_TOKEN: 'gateway-token-0123456789' }).out).toEqual([
      blocked('ANTHROPIC_AUTH_TOKEN', 'environment'),
    ]);
    const workspace = folder({ '.claude/settings.json': JSON.stringify({ apiKeyHelper: 'vault read key' }) });
    expect(runner(org, {}, workspace).out).toEqual([
      blocked('apiKeyHelper', join(workspace, '.claude', 'settings.json')),
    ]);
    // A subscription token is a login: whether it belongs to the organisation is not on the machine.
    const token = runner(org, { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-' + 'o'.repeat(40) });
    expect(token.out).toEqual([]);
    expect(JSON.stringify(token.facts) + token.text).not.toContain(CANARY);
    expect(token.text).toContain('forceLoginOrgUUID (1 organisation)');
  });

  it('forceLoginOrgUUID with an empty list blocks every login', () => {
    const { out } = runner(
      { [BASE]: { forceLoginOrgUUID: [] } },
      { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-' + 'o'.repeat(40) },
    );
    expect(out).toEqual([
      [
        'runtime-managed-settings',
        'error',
        "forceLoginOrgUUID in <managed>/managed-settings.json lists no organisation, which blocks every login: the job's CLAUDE_CODE_OAUTH_TOKEN (from environment) is refused, so the run fails. List the organisation this job's login belongs to, or run it on a runner without this setting.",
      ],
    ]);
  });

  it('allowedProviders refuses the provider the job selects: an error where that is certain', () => {
    const refused = (listed: string, provider: string, variable: string) => [
      'runtime-managed-settings',
      'error',
      `allowedProviders in <managed>/managed-settings.json allows ${listed}: Claude Code on this machine refuses a session on ${provider}, the provider the job's ${variable} selects, so the run fails. Add ${provider} to the list, or run this job where it is allowed.`,
    ];
    const only = (providers: unknown) => ({ [BASE]: { allowedProviders: providers } });
    expect(runner(only(['bedrock', 'vertex']), { ANTHROPIC_API_KEY: KEY }).out).toEqual([
      refused('bedrock, vertex', 'anthropic', 'ANTHROPIC_API_KEY'),
    ]);
    expect(runner(only(['anthropic']), { ANTHROPIC_API_KEY: KEY }).out).toEqual([]);
    expect(
      runner(only(['anthropic']), { CLAUDE_CODE_USE_MANTLE: 'true', ANTHROPIC_API_KEY: KEY }).out,
    ).toEqual([refused('anthropic', 'mantle', 'CLAUDE_CODE_USE_MANTLE')]);
    expect(runner(only([]), { CLAUDE_CODE_USE_VERTEX: '1' }).out).toEqual([
      refused('no provider', 'vertex', 'CLAUDE_CODE_USE_VERTEX'),
    ]);
    const odd = runner(only(['bedrock', CANARY, 7]), { ANTHROPIC_API_KEY: KEY });
    expect(odd.out).toEqual([
      refused('bedrock (and 2 entries that are not provider names)', 'anthropic', 'ANTHROPIC_API_KEY'),
    ]);
    expect(JSON.stringify(odd.facts) + odd.text).not.toContain(CANARY);
  });

  it('allowedProviders and a custom ANTHROPIC_BASE_URL: a warning, since which name Claude Code gives it is inferred', () => {
    expect(
      runner(
        { [BASE]: { allowedProviders: ['anthropic'] } },
        {
          ANTHROPIC_AUTH_TOKEN: 'gateway-token-0123456789',
          ANTHROPIC_BASE_URL: 'https://llm.example.com/v1',
        },
      ).out,
    ).toEqual([
      [
        'runtime-managed-settings',
        'warning',
        "allowedProviders in <managed>/managed-settings.json allows anthropic: Claude Code on this machine likely refuses the job's ANTHROPIC_AUTH_TOKEN, which goes to llm.example.com, a custom endpoint that list does not name (customEndpoint, or gateway for a Claude apps gateway), so the run would fail. Add the right one to the list, or run this job where it is allowed.",
      ],
    ]);
  });

  it('says so when a managed settings file cannot be read, and when allowedProviders is not a list', () => {
    const { out } = runner({
      [BASE]: '{"forceLoginMethod": ',
      'managed-settings.d/x.json': { allowedProviders: 'bedrock' },
    });
    expect(out).toEqual([
      [
        'runtime-managed-settings',
        'warning',
        'The managed settings file <managed>/managed-settings.json on this runner cannot be read as JSON, so this check cannot tell what it enforces on Claude Code here.',
      ],
      [
        'runtime-managed-settings',
        'warning',
        'allowedProviders in <managed>/managed-settings.d/x.json is not a list of provider names, so this check cannot tell which providers it allows.',
      ],
    ]);
  });

  it('never prints a value from the files: only setting names, closed values and counts', () => {
    const { facts, findings, text, masked } = runner(
      {
        [BASE]: {
          forceLoginMethod: CANARY,
          forceLoginOrgUUID: [CANARY_ORG, `${CANARY}-2`],
          allowedProviders: [CANARY],
          forceLoginGatewayUrl: `ftp://${CANARY}:${CANARY}@gw.example.com/${CANARY}`,
          [CANARY]: CANARY,
          env: { ANTHROPIC_API_KEY: `sk-ant-api03-${CANARY}-managedkey` },
        },
      },
      {},
    );
    expect(facts.managed).toMatchObject({
      forceLoginMethod: { value: 'unrecognised' },
      forceLoginOrgUUID: { value: 2 },
      forceLoginGatewayUrl: { value: 'ftp://gw.example.com/…' },
      allowedProviders: { value: { listed: [], unrecognised: 1 } },
    });
    expect(masked).toEqual([`sk-ant-api03-${CANARY}-managedkey`]);
    expect(JSON.stringify(facts) + JSON.stringify(findings) + text).not.toContain(CANARY);
  });

  it('reaches the CLI: --runtime reads the managed folder it is given', () => {
    let out = '';
    const code = runCli(['--runtime', '--format', 'json'], {
      cwd: folder(),
      env: { HOME: folder(), ANTHROPIC_API_KEY: KEY },
      managedSettingsDir: folder({ [BASE]: JSON.stringify({ forceLoginOrgUUID: CANARY_ORG }) }),
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
    });
    expect(code).toBe(1);
    const json = JSON.parse(out) as { findings: { rule: string; severity: string }[] };
    expect(json.findings.map((f) => [f.rule, f.severity])).toEqual([['runtime-managed-settings', 'error']]);
    expect(out).not.toContain(CANARY);
    expect(out).not.toContain(KEY);
  });
});
