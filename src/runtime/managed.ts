import { join } from 'node:path';
import { shownUrl } from '../claude/routes.js';
import { jsonNames, readJson } from './read.js';

/**
 * Managed settings a machine's administrator puts in the system folder (`managed-settings.json`, then
 * `managed-settings.d/*.json` by name, later files winning; lists are joined). A few of their keys decide
 * what a job's own credentials do on that machine. Only setting names, closed values and counts leave this
 * module: a gateway URL is cut to its origin, organisation ids are counted.
 */

export const LOGIN_METHODS = ['claudeai', 'console', 'gateway', 'unrecognised'] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

/** The names `allowedProviders` takes. */
export const PROVIDERS = [
  'anthropic',
  'bedrock',
  'vertex',
  'foundry',
  'anthropicAws',
  'mantle',
  'customEndpoint',
  'gateway',
] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A setting's merged value and the files it comes from (the one that wins, or every one a list joins). */
export interface Managed<T> {
  value: T;
  files: string[];
}

export interface ManagedSettings {
  /** The files read, in the order Claude Code merges them. */
  files: string[];
  /** Files there that are not a JSON object. */
  unreadable: string[];
  forceLoginMethod?: Managed<LoginMethod>;
  /** The gateway's origin only. */
  forceLoginGatewayUrl?: Managed<string>;
  /** How many organisations a login must belong to; 0 blocks every login. */
  forceLoginOrgUUID?: Managed<number>;
  /** The providers listed, and how many entries are not provider names; `invalid` when it is not a list. */
  allowedProviders?: Managed<{ listed: Provider[]; unrecognised: number } | 'invalid'>;
}

export interface ManagedFile {
  path: string;
  json: Record<string, unknown>;
}

/** Drop-in files read: an administrator writes a handful, not thousands. */
const DROP_IN_LIMIT = 64;

/** The managed settings files of a folder, in merge order, with those that are not JSON objects. */
export function readManagedFiles(
  dir: string,
  workspace: string,
): { files: ManagedFile[]; unreadable: string[] } {
  const dropIns = join(dir, 'managed-settings.d');
  const paths = [
    join(dir, 'managed-settings.json'),
    ...jsonNames(dropIns, workspace, DROP_IN_LIMIT).map((name) => join(dropIns, name)),
  ];
  const files: ManagedFile[] = [];
  const unreadable: string[] = [];
  for (const path of paths) {
    const json = readJson(path, workspace);
    if (json === undefined) continue;
    if (json && typeof json === 'object' && !Array.isArray(json))
      files.push({ path, json: json as Record<string, unknown> });
    else unreadable.push(path);
  }
  return { files, unreadable };
}

/** A key merged over the files: a later value replaces an earlier one, and two lists are joined. */
function merged(files: ManagedFile[], key: string): Managed<unknown> | undefined {
  let out: Managed<unknown> | undefined;
  for (const { path, json } of files) {
    if (!Object.hasOwn(json, key)) continue;
    const value = json[key];
    out =
      out && Array.isArray(out.value) && Array.isArray(value)
        ? { value: [...new Set([...out.value, ...value])], files: [...out.files, path] }
        : { value, files: [path] };
  }
  return out;
}

function loginMethod(value: unknown): LoginMethod {
  return LOGIN_METHODS.find((m) => m === value && m !== 'unrecognised') ?? 'unrecognised';
}

function providers(value: unknown): { listed: Provider[]; unrecognised: number } | 'invalid' {
  if (!Array.isArray(value)) return 'invalid';
  const listed = value.filter((v): v is Provider => (PROVIDERS as readonly unknown[]).includes(v));
  return { listed, unrecognised: value.length - listed.length };
}

/** What the managed files set that changes a job's credentials, in words safe to print. */
export function managedSettings(files: ManagedFile[], unreadable: string[]): ManagedSettings {
  const out: ManagedSettings = { files: files.map((f) => f.path), unreadable };
  const method = merged(files, 'forceLoginMethod');
  if (method) out.forceLoginMethod = { value: loginMethod(method.value), files: method.files };
  const gateway = merged(files, 'forceLoginGatewayUrl');
  const origin =
    typeof gateway?.value === 'string' && gateway.value !== '' ? shownUrl(gateway.value) : undefined;
  if (gateway && origin) out.forceLoginGatewayUrl = { value: origin, files: gateway.files };
  const org = merged(files, 'forceLoginOrgUUID');
  const orgs = typeof org?.value === 'string' ? 1 : Array.isArray(org?.value) ? org.value.length : undefined;
  if (org && orgs !== undefined) out.forceLoginOrgUUID = { value: orgs, files: org.files };
  const allowed = merged(files, 'allowedProviders');
  if (allowed) out.allowedProviders = { value: providers(allowed.value), files: allowed.files };
  return out;
}
