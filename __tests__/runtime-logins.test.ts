import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import { analyseRuntime, runnerRowMatters } from '../src/passes/runner.js';
import { anthropicConfigDir } from '../src/runtime/anthropic-config.js';
import { runnerRoute } from '../src/runtime/facts.js';
import { probeRunner } from '../src/runtime/probe.js';
import { formatRuntimeText } from '../src/report/runtime-text.js';
import { tempFolder } from './helpers.js';

/** Values no output may ever show: the secret part of a profile, a stored key, a token in a config. */
const CANARY_TOKEN = 'sk-ant-oat01-' + 'CANARYPROFILETOKEN'.repeat(3);
const CANARY_REFRESH = 'sk-ant-ort01-' + 'CANARYREFRESH'.repeat(3);
const CANARY_KEY = 'sk-ant-api03-' + 'CANARYLEGACYKEY'.repeat(3);
const CANARY_ORG = 'org-canary-0000-1111';
const CANARIES = [CANARY_TOKEN, CANARY_REFRESH, CANARY_KEY, CANARY_ORG, 'CANARY'];

const folder = (files: Record<string, string> = {}): string => tempFolder(files, 'crg-login-');

/** An Anthropic profile as `/login` with a Console account (keyless) or federation setup writes it. */
function profile(type: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    authentication: { type, ...extra },
    organization_id: CANARY_ORG,
    base_url: `https://api.anthropic.com/?key=${CANARY_TOKEN}`,
  });
}
const SECRET = JSON.stringify({ access_token: CANARY_TOKEN, refresh_token: CANARY_REFRESH, expires_at: 1 });
const KEYLESS = {
  '.config/anthropic/configs/default.json': profile('user_oauth', { client_id: 'claude-code' }),
  '.config/anthropic/credentials/default.json': SECRET,
};
const SUBSCRIPTION = {
  '.claude/.credentials.json': JSON.stringify({ claudeAiOauth: { accessToken: CANARY_TOKEN } }),
};

function probe(env: Record<string, string>, home: string) {
  const masked: string[] = [];
  const facts = probeRunner({
    env,
    home,
    workspace: folder(),
    platform: 'linux',
    managedSettingsDir: folder(),
    mask: (v) => masked.push(v),
  });
  return { facts, masked, route: runnerRoute(facts) };
}

const winnerOf = (route: ReturnType<typeof runnerRoute>) =>
  route.winner && { kind: route.winner.kind, variable: route.winner.variable, origin: route.winner.origin };

describe('a Console login on the runner is not a subscription', () => {
  it('reads a keyless Console sign-in (a user_oauth profile) as console-login, never reading its token', () => {
    const home = folder(KEYLESS);
    const { facts, masked, route } = probe({}, home);
    expect(facts.anthropic).toEqual({
      dir: join(home, '.config', 'anthropic'),
      selection: 'fallback',
      profiles: [
        {
          name: 'default',
          path: join(home, '.config', 'anthropic', 'configs', 'default.json'),
          auth: 'user_oauth',
          active: true,
          signedIn: true,
        },
      ],
    });
    expect(route).toMatchObject({ kind: 'console-login', certainty: 'known', outcomes: ['console-login'] });
    expect(winnerOf(route)).toEqual({
      kind: 'console-login',
      variable: 'active-console-profile',
      origin: {
        variable: 'keyless Console sign-in (profile default)',
        source: join(home, '.config', 'anthropic', 'configs', 'default.json'),
      },
    });
    // The token was never read, so there was nothing to register with the masker either.
    expect(masked).toEqual([]);
    for (const canary of CANARIES) expect(JSON.stringify(facts)).not.toContain(canary);
  });

  it('raises no stored-login error and no "no credential" note for it, and shows the runner row', () => {
    const { facts } = probe({ RUNNER_ENVIRONMENT: 'self-hosted' }, folder(KEYLESS));
    const { row, findings } = analyseRuntime({ facts });
    expect(findings).toEqual([]);
    expect(runnerRowMatters(facts, findings, false)).toBe(true);
    expect(runnerRowMatters(probe({}, folder()).facts, [], false)).toBe(false);
    expect(row).toMatchObject({
      route: 'console-login',
      certainty: 'known',
      outcomes: ['console-login'],
      reason: null,
      verdict: 'ok',
      credential: { variable: 'keyless Console sign-in (profile default)', level: 'runner' },
    });
  });

  it('ranks the keyless profile below a stored subscription login, which still bills a plan', () => {
    const { facts, route } = probe({}, folder({ ...KEYLESS, ...SUBSCRIPTION }));
    expect(winnerOf(route)).toMatchObject({ kind: 'subscription-login', variable: 'stored-login' });
    expect(route.shadowed.map((c) => [c.kind, c.variable])).toEqual([
      ['console-login', 'active-console-profile'],
    ]);
    expect(analyseRuntime({ facts }).findings.map((f) => f.rule)).toEqual(['runtime-stored-login']);
  });

  it('ranks an active federation profile with federation, above a stored login', () => {
    const home = folder({
      ...SUBSCRIPTION,
      ...KEYLESS,
      '.config/anthropic/configs/ci.json': profile('oidc_federation', { federation_rule_id: 'fdrl_x' }),
      '.config/anthropic/active_config': 'ci\n',
    });
    const { facts, route } = probe({}, home);
    expect(facts.anthropic?.profiles.map((p) => [p.name, p.auth, p.active])).toEqual([
      ['ci', 'oidc_federation', true],
      ['default', 'user_oauth', false],
    ]);
    expect(winnerOf(route)).toEqual({
      kind: 'workload-identity',
      variable: 'active-profile',
      origin: {
        variable: 'Anthropic profile ci (federation)',
        source: join(home, '.config', 'anthropic', 'configs', 'ci.json'),
      },
    });
    expect(route.shadowed.map((c) => c.kind)).toEqual(['subscription-login']);
  });

  it('follows ANTHROPIC_CONFIG_DIR, and a profile ANTHROPIC_PROFILE names ranks where that variable does', () => {
    const config = folder({
      'configs/work.json': profile('user_oauth'),
      'credentials/work.json': SECRET,
      'configs/ci.json': profile('oidc_federation'),
    });
    const home = folder(SUBSCRIPTION);
    const named = probe({ ANTHROPIC_CONFIG_DIR: config, ANTHROPIC_PROFILE: 'work' }, home);
    expect(named.facts.anthropic).toMatchObject({ dir: config, selection: 'named' });
    expect(winnerOf(named.route)).toMatchObject({
      kind: 'console-login',
      variable: 'ANTHROPIC_PROFILE',
      origin: { variable: 'ANTHROPIC_PROFILE', source: 'environment' },
    });
    expect(named.route.shadowed.map((c) => c.kind)).toEqual(['subscription-login']);
    const federated = probe({ ANTHROPIC_CONFIG_DIR: config, ANTHROPIC_PROFILE: 'ci' }, home);
    expect(winnerOf(federated.route)).toMatchObject({
      kind: 'workload-identity',
      variable: 'ANTHROPIC_PROFILE',
    });
  });

  it('takes the folder from APPDATA on Windows, and lets no config inside the workspace choose where to look', () => {
    expect(anthropicConfigDir({ APPDATA: 'C:\\Users\\r\\AppData\\Roaming' }, '/home/r', 'win32')).toBe(
      join('C:\\Users\\r\\AppData\\Roaming', 'Anthropic'),
    );
    expect(anthropicConfigDir({ APPDATA: 'x', ANTHROPIC_CONFIG_DIR: '/cfg' }, '/home/r', 'win32')).toBe(
      '/cfg',
    );
    expect(anthropicConfigDir({ APPDATA: 'x' }, '/home/r', 'linux')).toBe(
      join('/home/r', '.config', 'anthropic'),
    );
    // A profile the pull request commits may not point the lookup at a file of the runner's.
    const outside = folder({ id_rsa: 'private' });
    const workspace = folder({
      'cfg/configs/default.json': profile('user_oauth', { credentials_path: join(outside, 'id_rsa') }),
    });
    const facts = probeRunner({
      env: { ANTHROPIC_CONFIG_DIR: join(workspace, 'cfg') },
      home: folder(),
      workspace,
      platform: 'linux',
      managedSettingsDir: folder(),
      mask: () => undefined,
    });
    expect(facts.anthropic.profiles.map((p) => [p.name, p.signedIn])).toEqual([['default', false]]);
    const own = folder({
      'configs/default.json': profile('user_oauth', { credentials_path: join(outside, 'id_rsa') }),
    });
    expect(probe({ ANTHROPIC_CONFIG_DIR: own }, folder()).facts.anthropic.profiles[0]?.signedIn).toBe(true);
  });

  it('reads the legacy Console login (primaryApiKey in ~/.claude.json) as console-login and masks the key', () => {
    const home = folder({ '.claude.json': JSON.stringify({ primaryApiKey: CANARY_KEY }) });
    const { facts, masked, route } = probe({}, home);
    expect(facts.storedLogins).toEqual([{ path: join(home, '.claude.json'), kind: 'console-key' }]);
    expect(winnerOf(route)).toEqual({
      kind: 'console-login',
      variable: 'stored-login',
      origin: { variable: 'legacy Console login (stored API key)', source: join(home, '.claude.json') },
    });
    expect(masked).toEqual([CANARY_KEY]);
    expect(JSON.stringify(facts)).not.toContain(CANARY_KEY);
  });

  it('finds no credential when the keyless profile has no secret part, or under --bare (CLAUDE_CODE_SIMPLE), federation variables included', () => {
    const signedOut = probe({}, folder({ '.config/anthropic/configs/default.json': profile('user_oauth') }));
    expect(signedOut.facts.anthropic?.profiles.map((p) => p.signedIn)).toEqual([false]);
    expect(signedOut.route.winner).toBeNull();
    expect(analyseRuntime({ facts: signedOut.facts }).row.reason).toBe('no Claude credential on this runner');
    const bare = probe(
      { CLAUDE_CODE_SIMPLE: '1', ANTHROPIC_FEDERATION_RULE_ID: 'fdrl_x', ANTHROPIC_ORGANIZATION_ID: 'org-x' },
      folder({ ...KEYLESS, '.claude.json': JSON.stringify({ primaryApiKey: CANARY_KEY }) }),
    );
    expect(bare.route.winner).toBeNull();
  });

  it('skips profiles it cannot use: an unknown auth type, bad JSON, a name Claude Code would refuse', () => {
    const home = folder({
      '.config/anthropic/configs/default.json': profile('magic'),
      '.config/anthropic/configs/broken.json': '{"authentication": ',
      '.config/anthropic/configs/$(touch x).json': profile('user_oauth'),
      '.config/anthropic/configs/.hidden.json': profile('user_oauth'),
    });
    const { facts, route } = probe({}, home);
    expect(facts.anthropic?.profiles.map((p) => [p.name, p.auth, p.active])).toEqual([
      ['broken', 'unrecognised', false],
      ['default', 'unrecognised', true],
    ]);
    expect(route.winner).toBeNull();
  });

  it('lists at most 32 profiles, always with the active one, however many files a folder holds', () => {
    const files: Record<string, string> = { '.config/anthropic/active_config': 'zz' };
    for (let i = 0; i < 200; i++)
      files[`.config/anthropic/configs/p${String(i).padStart(3, '0')}.json`] = '{}';
    files['.config/anthropic/configs/zz.json'] = profile('oidc_federation');
    const { facts } = probe({}, folder(files));
    expect(facts.anthropic?.profiles).toHaveLength(33);
    expect(facts.anthropic?.profiles.at(-1)).toMatchObject({ name: 'zz', active: true });
  });
});

describe('claude-route-guard --runtime on a machine whose only login is a keyless Console profile', () => {
  function run(format: 'text' | 'json') {
    let out = '';
    let err = '';
    const code = runCli(['--runtime', '--format', format], {
      cwd: folder(),
      env: { HOME: folder(KEYLESS), RUNNER_ENVIRONMENT: 'self-hosted', RUNNER_OS: 'Linux' },
      managedSettingsDir: folder(),
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
    });
    return { code, out, err };
  }

  it('reports a Console login, not a subscription and not "no credential"', () => {
    const json = run('json');
    expect(json.code).toBe(0);
    expect(json.err).toBe('');
    const report = JSON.parse(json.out) as { runner: Record<string, unknown>; findings: unknown[] };
    expect(report.runner).toMatchObject({
      route: 'console-login',
      certainty: 'known',
      reason: null,
      verdict: 'ok',
      credential: { variable: 'keyless Console sign-in (profile default)', level: 'runner' },
    });
    expect(report.findings).toEqual([]);
    const text = run('text');
    expect(text.code).toBe(0);
    expect(text.out).toContain('Anthropic profiles: default (keyless Console sign-in, active)');
    expect(text.out).toMatch(
      /\nRoute here: console-login \(keyless Console sign-in \(profile default\) from \S+default\.json\)\n?$/,
    );
    expect(text.out).not.toContain('no credential');
    for (const canary of CANARIES) expect(json.out + text.out).not.toContain(canary);
  });
});

describe('the runtime text', () => {
  it('names every login kind it found, and a profile without its secret part as signed out', () => {
    const home = folder({
      ...SUBSCRIPTION,
      '.claude.json': JSON.stringify({ primaryApiKey: CANARY_KEY }),
      '.config/anthropic/configs/default.json': profile('user_oauth'),
      '.config/anthropic/configs/ci.json': profile('oidc_federation'),
    });
    const { facts } = probe({}, home);
    const { row, findings } = analyseRuntime({ facts });
    const text = formatRuntimeText(facts, row, findings);
    expect(text).toContain(
      `Stored logins: ${join(home, '.claude', '.credentials.json')} (subscription login), ${join(home, '.claude.json')} (legacy Console login, a stored API key)`,
    );
    expect(text).toContain(
      'Anthropic profiles: ci (federation), default (keyless Console sign-in, active, signed out)',
    );
    for (const canary of CANARIES) expect(text).not.toContain(canary);
  });
});
