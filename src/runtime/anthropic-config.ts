import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isWithin } from '../files.js';
import { jsonNames, readJson, readText } from './read.js';

/**
 * The Anthropic config folder (`$ANTHROPIC_CONFIG_DIR`, else `~/.config/anthropic`) that Claude Code and
 * the SDKs share: `configs/<name>.json` says how a profile signs in, `credentials/<name>.json` holds its
 * secret part, `active_config` names the profile in use. Only names, sign-in modes and which profile is
 * active are read here: the secret part is looked for, never opened.
 */

/** `user_oauth`: the keyless Console sign-in (`/login` with a Console account); `oidc_federation`: federation. */
export const PROFILE_AUTHS = ['user_oauth', 'oidc_federation', 'unrecognised'] as const;
export type ProfileAuth = (typeof PROFILE_AUTHS)[number];

export interface AnthropicProfile {
  name: string;
  /** Its `configs/<name>.json`. */
  path: string;
  auth: ProfileAuth;
  /** The profile Claude Code loads: the one `ANTHROPIC_PROFILE` names, else `active_config`'s, else `default`. */
  active: boolean;
  /** Whether its secret part exists (`credentials/<name>.json`, or the file its config names). */
  signedIn: boolean;
}

export interface AnthropicConfig {
  dir: string;
  /** `named`: `ANTHROPIC_PROFILE` chose the active profile; `fallback`: `active_config` or `default` did. */
  selection: 'named' | 'fallback';
  profiles: AnthropicProfile[];
}

/** Profiles listed: the active one is always among them, whatever the folder holds. */
const PROFILE_LIMIT = 32;
/** A profile's config is a few lines of JSON. */
const CONFIG_LIMIT = 64 * 1024;
/** The names the SDKs accept for a profile; any other is refused before it is loaded. */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function authOf(config: unknown): { auth: ProfileAuth; credentialsPath?: string } {
  const authentication =
    config && typeof config === 'object'
      ? (config as { authentication?: unknown }).authentication
      : undefined;
  if (!authentication || typeof authentication !== 'object') return { auth: 'unrecognised' };
  const { type, credentials_path: moved } = authentication as { type?: unknown; credentials_path?: unknown };
  const auth = PROFILE_AUTHS.find((a) => a === type && a !== 'unrecognised') ?? 'unrecognised';
  return typeof moved === 'string' && moved !== '' ? { auth, credentialsPath: moved } : { auth };
}

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** The folder Claude Code and the SDKs read: `ANTHROPIC_CONFIG_DIR`, else the platform's user config folder. */
export function anthropicConfigDir(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform): string {
  if (env.ANTHROPIC_CONFIG_DIR) return env.ANTHROPIC_CONFIG_DIR;
  return platform === 'win32' && env.APPDATA
    ? join(env.APPDATA, 'Anthropic')
    : join(home, '.config', 'anthropic');
}

/** Reads the Anthropic config folder the way Claude Code finds it, from the variables it reads. */
export function readAnthropicConfig(
  env: NodeJS.ProcessEnv,
  home: string,
  workspace: string,
  platform: NodeJS.Platform,
): AnthropicConfig {
  const dir = anthropicConfigDir(env, home, platform);
  const named = env.ANTHROPIC_PROFILE;
  const pointer = readText(join(dir, 'active_config'), workspace, 4096)?.trim();
  const activeName = named || pointer || 'default';
  const configs = join(dir, 'configs');
  const names = jsonNames(configs, workspace, PROFILE_LIMIT)
    .map((file) => file.slice(0, -'.json'.length))
    .filter((name) => PROFILE_NAME.test(name));
  if (
    PROFILE_NAME.test(activeName) &&
    !names.includes(activeName) &&
    exists(join(configs, `${activeName}.json`))
  )
    names.push(activeName);
  const profiles = names.map((name): AnthropicProfile => {
    const path = join(configs, `${name}.json`);
    const { auth, credentialsPath } = authOf(readJson(path, workspace, CONFIG_LIMIT));
    // A config the pull request wrote (the folder inside the workspace) does not choose what is looked up.
    const secret =
      credentialsPath && !isWithin(workspace, path)
        ? resolve(credentialsPath.replace(/^~(?=\/|$)/, home))
        : join(dir, 'credentials', `${name}.json`);
    return { name, path, auth, active: name === activeName, signedIn: exists(secret) };
  });
  return { dir, selection: named ? 'named' : 'fallback', profiles };
}
