import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Level, Span } from '../types.js';
import type { Value } from '../workflow/model.js';
import { meter } from '../meter.js';
import { SourceFile } from '../workflow/source.js';
import { resolveText, type Binding, type Scope } from '../workflow/values.js';
import type { Word } from '../shell/reader.js';
import type { ProcessEnvironment, Site } from './environment.js';
import type { JobFlow } from './levels.js';

export interface SettingsCredentials {
  env: Binding[];
  apiKeyHelper?: Binding;
  /** A parse problem, with where it is. */
  error?: { message: string; span: Span };
}

/**
 * Reads the route-bearing parts of a Claude Code settings JSON (`env`, `apiKeyHelper`). JSON is YAML, so
 * the YAML parser gives positions; `locate` turns offsets in `text` into spans of the file that holds it.
 */
export function readSettings(
  text: string,
  locate: (start: number, end: number) => Span,
  level: Level,
  scope: Scope,
): SettingsCredentials {
  const doc = parseDocument(text, { uniqueKeys: false });
  const error = doc.errors[0];
  if (error)
    return {
      env: [],
      error: {
        message: error.message.split('\n')[0] ?? 'invalid JSON',
        span: locate(error.pos[0], error.pos[1]),
      },
    };
  const root = doc.contents;
  const out: SettingsCredentials = { env: [] };
  if (!isMap(root)) return out;
  const bind = (
    variable: string,
    keyRange: [number, number],
    valueText: string,
    valueRange: [number, number],
  ): Binding => ({
    variable,
    level,
    file: scope.file,
    keySpan: locate(keyRange[0], keyRange[1]),
    value: resolveText(valueText, scope, scope.file, locate(valueRange[0], valueRange[1])),
  });
  for (const item of root.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    const key = String(item.key.value);
    const keyRange: [number, number] = [item.key.range[0], item.key.range[1]];
    if (key === 'apiKeyHelper' && isScalar(item.value) && item.value.range) {
      out.apiKeyHelper = bind('apiKeyHelper', keyRange, String(item.value.value ?? ''), [
        item.value.range[0],
        item.value.range[1],
      ]);
    }
    if (key === 'env' && isMap(item.value)) {
      for (const entry of item.value.items) {
        if (!isPair(entry) || !isScalar(entry.key) || !entry.key.range) continue;
        const value = isScalar(entry.value) ? entry.value : null;
        const range = value?.range ?? entry.key.range;
        out.env.push(
          bind(
            String(entry.key.value),
            [entry.key.range[0], entry.key.range[1]],
            String(value?.value ?? ''),
            [range[0], range[1]],
          ),
        );
      }
    }
  }
  return out;
}

/** Said of a run in restricted mode, which reads none of the settings files below. */
export const RESTRICTED_NOTE =
  "it runs in restricted mode (`--restricted` or CLAUDE_CODE_RESTRICTED), so the repository's and the user's settings files do not apply";

/** The repository's own settings files, which every run in the checkout reads. */
const SETTINGS_FILES = ['.claude/settings.json', '.claude/settings.local.json'];

/**
 * Settings handed to one run (the action's `settings` input, `--settings`): inline JSON, or the path of a
 * repository file. `holder` is the value that holds `text`, for positions.
 */
export function applySettingsText(
  env: ProcessEnvironment,
  text: string,
  holder: Value,
  scope: Scope,
  site: Site,
  level: Level,
): void {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const settings = readSettings(text, (a, b) => holder.spanAt(a, b), level, scope);
    if (settings.error)
      site.problems.push({
        file: site.file,
        span: settings.error.span,
        message: `settings JSON: ${settings.error.message}`,
      });
    for (const b of settings.env) env.bindings.set(b.variable, b);
    if (settings.apiKeyHelper) env.bindings.set('apiKeyHelper', settings.apiKeyHelper);
    return;
  }
  const path = trimmed.replace(/^\.\//, '');
  if (path.includes('${{') || path.startsWith('$')) {
    env.notes.push(`settings come from \`${trimmed}\`, decided at run time`);
    return;
  }
  const found = site.repo.read(path);
  if (!found) {
    env.undecided ??= unreadable(`settings file \`${path}\``);
    return;
  }
  applySettingsFile(env, found, site);
}

/** Why a settings file the scan cannot read leaves the route to run time. */
function unreadable(what: string): string {
  return `${what} cannot be read in the repository (it is not there, is a symbolic link, or is over the size limit), and its env or apiKeyHelper may set the route`;
}

/** `--settings WORD`: the word's text, placed where it stands inside `holder`. */
export function applySettingsWord(
  env: ProcessEnvironment,
  word: Word,
  holder: Value,
  scope: Scope,
  site: Site,
): void {
  const offset = word.quoted ? word.start + 1 : word.start;
  const shifted: Value = { ...holder, spanAt: (a, b) => holder.spanAt(offset + a, offset + b) };
  applySettingsText(env, word.text, shifted, scope, site, 'settings-file');
}

/**
 * A settings file's credentials, parsed once per file however many runs read it: the repository hands
 * out one object per path, so the parse is kept beside it.
 */
const PARSED_SETTINGS = new WeakMap<object, SettingsCredentials>();
function settingsFile(found: { file: string; text: string }): SettingsCredentials {
  let settings = PARSED_SETTINGS.get(found);
  if (!settings) {
    meter.settingsParsed();
    const source = new SourceFile(found.file, found.text);
    settings = readSettings(found.text, (a, b) => source.span(a, b), 'settings-file', {
      file: found.file,
      env: new Map(),
    });
    PARSED_SETTINGS.set(found, settings);
  }
  return settings;
}

function applySettingsFile(env: ProcessEnvironment, found: { file: string; text: string }, site: Site): void {
  const path = found.file;
  const settings = settingsFile(found);
  if (settings.error)
    site.problems.push({
      file: path,
      span: settings.error.span,
      message: `settings JSON: ${settings.error.message}`,
    });
  const bindings = env.bindings;
  for (const b of settings.env)
    if (!bindings.has(b.variable) || bindings.get(b.variable)!.level !== 'settings-file')
      bindings.set(b.variable, b);
  if (settings.apiKeyHelper && !bindings.has('apiKeyHelper'))
    bindings.set('apiKeyHelper', settings.apiKeyHelper);
}

/**
 * The repository's own `.claude/settings*.json` apply in `-p`, the SDK and the action (no trust dialog),
 * then `~/.claude/settings.json` when the job wrote it (`job` absent: a process that reads no user settings).
 */
export function applyRepositorySettings(env: ProcessEnvironment, site: Site, job?: JobFlow): void {
  // Settings files override the process environment, but a `--settings` flag outranks them.
  const explicit = [...env.bindings].filter(([, b]) => b.level === 'settings-file');
  for (const path of SETTINGS_FILES) {
    const found = site.repo.read(path);
    if (found) applySettingsFile(env, found, site);
  }
  // ~/.claude/settings.json ranks below the project's files: applied after them, it fills only what they leave.
  const user = job?.userSettings;
  if (user?.path) {
    const found = site.repo.read(user.path);
    if (found) applySettingsFile(env, found, site);
    else env.undecided ??= unreadable(`~/.claude/settings.json is copied from \`${user.path}\`, which`);
  } else if (user)
    env.undecided ??= 'the job writes ~/.claude/settings.json at run time, and its env may set the route';
  for (const [k, b] of explicit) if (env.bindings.get(k) !== b) env.bindings.set(k, b);
}

/** A credentials file an earlier step wrote: Claude falls back to the login stored in it. */
export function applyStoredLogin(env: ProcessEnvironment, job: JobFlow): void {
  if (job.storedLogin) env.bindings.set('stored-login', job.storedLogin);
}
