import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isWithin } from '../files.js';
import { ROUTE_VARIABLES, IS_CREDENTIAL_VARIABLE } from '../claude/precedence.js';
import { readAnthropicConfig } from './anthropic-config.js';
import {
  PROBED_VARIABLES,
  shapeOf,
  switchState,
  type RuntimeFacts,
  type SettingsFact,
  type StoredLogin,
  type VariableFact,
} from './facts.js';
import { managedSettings, readManagedFiles } from './managed.js';
import { readJson } from './read.js';

export interface ProbeIo {
  env: NodeJS.ProcessEnv;
  home: string;
  /** The checked-out repository, for its .claude/settings*.json. */
  workspace: string;
  platform: NodeJS.Platform;
  /**
   * The folder of the machine's managed settings; by default the system one Claude Code reads on this
   * platform. Tests give another here: no variable can move it, so a pull request cannot either.
   */
  managedSettingsDir?: string;
  /** Registers a value with the log masker (core.setSecret in Actions); called before anything else. */
  mask: (value: string) => void;
}

const SWITCHES = new Set(
  PROBED_VARIABLES.filter((n) => n.startsWith('CLAUDE_CODE_USE_') || n === 'CLAUDE_CODE_SIMPLE'),
);

/** Where Claude Code reads managed settings files on each platform it documents them for. */
export function systemManagedSettingsDir(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return '/Library/Application Support/ClaudeCode';
  return platform === 'win32' ? 'C:\\Program Files\\ClaudeCode' : '/etc/claude-code';
}

/**
 * Only a value that could be a credential is masked: a PR that could register any word (`error`) would
 * choose what the rest of the job log hides.
 */
export function maskable(value: string): boolean {
  return value.length >= 12 && !/\s/.test(value);
}

/** Masks every string in a parsed credentials file that could be a token, whatever its key. */
function maskStrings(value: unknown, mask: (v: string) => void): void {
  if (typeof value === 'string') {
    if (value.length >= 16 && maskable(value)) mask(value);
  } else if (Array.isArray(value)) value.forEach((v) => maskStrings(v, mask));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => maskStrings(v, mask));
}

function settingsFact(path: string, workspace: string, mask: (v: string) => void): SettingsFact | undefined {
  const json = readJson(path, workspace);
  if (json === undefined || json === null || typeof json !== 'object') return undefined;
  return settingsFactOf(path, json, workspace, mask);
}

function settingsFactOf(
  path: string,
  json: object,
  workspace: string,
  mask: (v: string) => void,
): SettingsFact {
  const settings = json as { env?: Record<string, unknown>; apiKeyHelper?: unknown };
  const env = settings.env && typeof settings.env === 'object' ? settings.env : {};
  // The repository's settings are the pull request's words: masking them would let it hide any word.
  if (!isWithin(workspace, path))
    for (const [name, value] of Object.entries(env))
      if (IS_CREDENTIAL_VARIABLE.has(name) && typeof value === 'string' && maskable(value)) mask(value);
  return {
    path,
    env: Object.keys(env).filter(
      (name) => ROUTE_VARIABLES.has(name) && typeof env[name] === 'string' && env[name] !== '',
    ),
    apiKeyHelper: typeof settings.apiKeyHelper === 'string' && settings.apiKeyHelper.trim() !== '',
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparseable URL';
  }
}

/** Where this runs: hosted or self-hosted, the event, and whether a pull request comes from a fork. */
function runnerFacts(io: ProbeIo): RuntimeFacts['runner'] {
  let fork: boolean | undefined;
  try {
    if (io.env.GITHUB_EVENT_PATH) {
      const event = JSON.parse(readFileSync(io.env.GITHUB_EVENT_PATH, 'utf8')) as {
        pull_request?: {
          head?: { repo?: { full_name?: string; fork?: boolean } };
          base?: { repo?: { full_name?: string } };
        };
      };
      const pr = event.pull_request;
      if (pr)
        fork =
          pr.head?.repo?.fork === true ||
          (pr.head?.repo?.full_name !== undefined && pr.head.repo.full_name !== pr.base?.repo?.full_name);
    }
  } catch {
    // No readable event: not known to be a fork.
  }
  const workflowRef = /^[^/]+\/[^/]+\/(.+?)@/.exec(io.env.GITHUB_WORKFLOW_REF ?? '');
  const environment =
    io.env.RUNNER_ENVIRONMENT === 'github-hosted' || io.env.RUNNER_ENVIRONMENT === 'self-hosted'
      ? io.env.RUNNER_ENVIRONMENT
      : 'unknown';
  const runner: RuntimeFacts['runner'] = {
    environment,
    os: io.env.RUNNER_OS ?? io.platform,
    event: io.env.GITHUB_EVENT_NAME ?? '',
  };
  if (fork !== undefined) runner.fork = fork;
  if (workflowRef) runner.workflowFile = workflowRef[1]!;
  if (io.env.GITHUB_JOB) runner.job = io.env.GITHUB_JOB;
  return runner;
}

/** What the runner would hand Claude Code: presence and shape, never a value. */
export function probeRunner(io: ProbeIo): RuntimeFacts {
  // Mask first: nothing below may run before every credential value is registered.
  for (const name of IS_CREDENTIAL_VARIABLE) {
    const value = io.env[name];
    if (value && maskable(value)) io.mask(value);
  }
  const configDir = io.env.CLAUDE_CONFIG_DIR || join(io.home, '.claude');
  const credentialsPath = join(configDir, '.credentials.json');
  const credentials = readJson(credentialsPath, io.workspace);
  maskStrings(credentials, io.mask);
  const accountPath = io.env.CLAUDE_CONFIG_DIR
    ? join(io.env.CLAUDE_CONFIG_DIR, '.claude.json')
    : join(io.home, '.claude.json');
  const account = readJson(accountPath, io.workspace) as { primaryApiKey?: unknown } | null | undefined;
  if (account && typeof account.primaryApiKey === 'string' && maskable(account.primaryApiKey))
    io.mask(account.primaryApiKey);

  const variables: VariableFact[] = PROBED_VARIABLES.map((name) => {
    const value = io.env[name];
    const fact: VariableFact = { name, shape: shapeOf(value) };
    if (SWITCHES.has(name) && value !== undefined) {
      fact.switch = switchState(value);
      if (!IS_CREDENTIAL_VARIABLE.has(name)) fact.shown = value.length <= 8 ? value : `${value.slice(0, 8)}…`;
    }
    if (name === 'ANTHROPIC_BASE_URL' && value) fact.shown = hostOf(value);
    return fact;
  });

  const storedLogins: StoredLogin[] = [];
  if (credentials !== undefined) storedLogins.push({ path: credentialsPath, kind: 'subscription' });
  if (account && typeof account.primaryApiKey === 'string' && account.primaryApiKey)
    storedLogins.push({ path: accountPath, kind: 'console-key' });

  const managed = readManagedFiles(
    io.managedSettingsDir ?? systemManagedSettingsDir(io.platform),
    io.workspace,
  );
  // Highest first: managed (the last file merged first) > project local > project > user.
  const settings = [
    ...[...managed.files].reverse().map((f) => settingsFactOf(f.path, f.json, io.workspace, io.mask)),
    ...[
      join(io.workspace, '.claude', 'settings.local.json'),
      join(io.workspace, '.claude', 'settings.json'),
      join(configDir, 'settings.json'),
    ]
      .map((path) => settingsFact(path, io.workspace, io.mask))
      .filter((s): s is SettingsFact => s !== undefined),
  ];

  const runner = runnerFacts(io);
  return {
    variables,
    storedLogins,
    anthropic: readAnthropicConfig(io.env, io.home, io.workspace, io.platform),
    settings,
    managed: managedSettings(managed.files, managed.unreadable),
    runner,
    unchecked:
      io.platform === 'darwin' ? ['the macOS Keychain (a /login there is not visible to this probe)'] : [],
  };
}
