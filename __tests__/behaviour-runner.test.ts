import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runnerRowMatters } from '../src/passes/runner.js';
import { runnerRoute, type RuntimeFacts } from '../src/runtime/facts.js';
import { probeRunner } from '../src/runtime/probe.js';

const OAUTH = 'sk-ant-oat01-' + 'o'.repeat(40);

/** Probes a runner whose workspace holds `.claude/settings.json` with this `env`, then removes it. */
function probeWithSettings(
  env: Record<string, string>,
  settingsEnv: Record<string, string> = {},
): { facts: RuntimeFacts; masked: string[]; settingsPath: string } {
  const workspace = mkdtempSync(join(tmpdir(), 'crg-runner-'));
  try {
    mkdirSync(join(workspace, '.claude'));
    const settingsPath = join(workspace, '.claude', 'settings.json');
    writeFileSync(settingsPath, JSON.stringify({ env: settingsEnv }));
    const masked: string[] = [];
    const facts = probeRunner({
      env,
      home: join(workspace, 'home'),
      workspace,
      platform: 'linux',
      mask: (v) => masked.push(v),
    });
    return { facts, masked, settingsPath };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

describe('the route on this runner', () => {
  it('masks a CLAUDE_CODE_OAUTH_TOKEN in the environment before the log can show it', () => {
    expect(probeWithSettings({ CLAUDE_CODE_OAUTH_TOKEN: OAUTH }).masked).toEqual([OAUTH]);
  });

  it('bills an ANTHROPIC_API_KEY set by a settings file to the key, not to a provider switch', () => {
    const { facts, settingsPath } = probeWithSettings({}, { ANTHROPIC_API_KEY: 'from settings' });
    const route = runnerRoute(facts);
    expect(route).toMatchObject({ kind: 'api-key', certainty: 'known', outcomes: ['api-key'] });
    expect(route.winner?.origin).toEqual({ variable: 'ANTHROPIC_API_KEY', source: settingsPath });
    expect(route.shadowed).toEqual([]);
  });

  it.each([
    'ANTHROPIC_FEDERATION_RULE_ID',
    'ANTHROPIC_PROFILE',
    'ANTHROPIC_ORGANIZATION_ID',
    'ANTHROPIC_BASE_URL',
    'CLAUDE_CODE_SIMPLE',
  ])('shows the runner row when a settings file sets %s', (variable) => {
    const { facts } = probeWithSettings({}, { [variable]: '1', NODE_OPTIONS: '--max-old-space-size=4096' });
    expect(facts.settings.map((s) => s.env)).toEqual([[variable]]);
    expect(runnerRowMatters(facts, [], false)).toBe(true);
  });

  it('leaves the runner row out when a settings file sets nothing that steers the route', () => {
    const { facts } = probeWithSettings({}, { NODE_OPTIONS: '--max-old-space-size=4096' });
    expect(facts.settings.map((s) => s.env)).toEqual([[]]);
    expect(runnerRowMatters(facts, [], false)).toBe(false);
  });
});
