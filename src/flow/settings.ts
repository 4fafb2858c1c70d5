import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Level, Span } from '../types.js';
import type { Value } from '../workflow/model.js';
import { meter } from '../meter.js';
import { SourceFile } from '../workflow/source.js';
import { resolveText, type Binding, type Scope } from '../workflow/values.js';
import type { Word } from '../shell/reader.js';
import type { ProcessEnvironment, Site } from './environment.js';
import type { JobFlow } from './levels.js';
import { movedTo, OUTSIDE, ROOT_FOLDER, type StartFolder } from './start-folder.js';
import { applyConfigLogin, configFolder, inConfigFolder } from './config-folder.js';
import { WORKSPACE_EXPRESSION_PATH } from './workspace.js';

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
  // Claude Code reads the file with JSON.parse, where a key written twice keeps its last value: a later
  // `env` replaces the whole earlier block, and a later `apiKeyHelper` that is not a string removes it.
  let env = new Map<string, Binding>();
  for (const item of root.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    const key = String(item.key.value);
    const keyRange: [number, number] = [item.key.range[0], item.key.range[1]];
    if (key === 'apiKeyHelper') {
      delete out.apiKeyHelper;
      if (isScalar(item.value) && item.value.range)
        out.apiKeyHelper = bind('apiKeyHelper', keyRange, String(item.value.value ?? ''), [
          item.value.range[0],
          item.value.range[1],
        ]);
    }
    if (key !== 'env') continue;
    env = new Map();
    if (!isMap(item.value)) continue;
    for (const entry of item.value.items) {
      if (!isPair(entry) || !isScalar(entry.key) || !entry.key.range) continue;
      const value = isScalar(entry.value) ? entry.value : null;
      const range = value?.range ?? entry.key.range;
      const variable = String(entry.key.value);
      // Deleted first, so the map's order is the order of the copies that count.
      env.delete(variable);
      env.set(
        variable,
        bind(variable, [entry.key.range[0], entry.key.range[1]], String(value?.value ?? ''), [
          range[0],
          range[1],
        ]),
      );
    }
  }
  out.env = [...env.values()];
  return out;
}

/** Said of a run in restricted mode, which reads none of the settings files below. */
const RESTRICTED_NOTE =
  "it runs in restricted mode (`--restricted` or CLAUDE_CODE_RESTRICTED), so the repository's and the user's settings files do not apply";

/** The project's settings files in the folder Claude starts in, the one that wins first. */
const SETTINGS_FILES = ['.claude/settings.local.json', '.claude/settings.json'];

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
  start: StartFolder = ROOT_FOLDER,
): void {
  let trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    applySettingsJson(
      env,
      readSettings(text, (a, b) => holder.spanAt(a, b), level, scope),
      site,
    );
    return;
  }
  if (trimmed.includes('${{') && !WORKSPACE_EXPRESSION_PATH.test(trimmed)) {
    // An input's default or a value the caller fixes is the text; anything else only run time knows.
    const resolved = resolveText(trimmed, scope, scope.file, holder.spanAt(0, text.length));
    if (resolved.presence === 'empty') return;
    if (resolved.form !== 'literal' || resolved.literal === undefined || resolved.literal.includes('${{')) {
      env.undecided ??= computedSettings(trimmed);
      return;
    }
    trimmed = resolved.literal.trim();
    // JSON an input's default or the caller gives: read whole, its places those of the expression.
    if (trimmed.startsWith('{')) {
      const where = holder.spanAt(0, text.length);
      applySettingsJson(
        env,
        readSettings(trimmed, () => where, level, scope),
        site,
      );
      return;
    }
  }
  const path = settingsPath(start, trimmed);
  if (typeof path !== 'string') {
    env.undecided ??= path.undecided;
    return;
  }
  const found = site.repo.read(path);
  if (!found) {
    env.undecided ??= unreadable(`settings file \`${path}\``);
    return;
  }
  applySettingsFile(env, found, site);
}

/** Settings JSON handed to one run: what it sets outranks the settings files. */
function applySettingsJson(env: ProcessEnvironment, settings: SettingsCredentials, site: Site): void {
  if (settings.error)
    site.problems.push({
      file: site.file,
      span: settings.error.span,
      message: `settings JSON: ${settings.error.message}`,
    });
  for (const b of settings.env) env.bindings.set(b.variable, b);
  if (settings.apiKeyHelper) env.bindings.set('apiKeyHelper', settings.apiKeyHelper);
}

function computedSettings(text: string): string {
  return `settings come from \`${text}\`, decided at run time, and their env or apiKeyHelper may set the route`;
}

/** Where a settings path leads from the folder Claude starts in: a file of the repository, or why not. */
function settingsPath(start: StartFolder, text: string): string | { undecided: string } {
  const at = movedTo(start, text);
  if (at.undecided) return { undecided: computedSettings(text) };
  const [path, ...others] = at.folders;
  if (path === undefined || others.length > 0) return { undecided: computedSettings(text) };
  return path === OUTSIDE ? { undecided: unreadable(`settings file \`${text}\``) } : path;
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
  start: StartFolder = ROOT_FOLDER,
): void {
  // Outside single quotes the shell expands `$` and backticks: the JSON or path is made at run time.
  const raw = holder.text.slice(word.start, word.end);
  if (!raw.startsWith("'") && /[$`]/.test(word.text.replace(/\$\{\{[\s\S]*?\}\}/g, ''))) {
    env.undecided ??= computedSettings(word.text);
    return;
  }
  const offset = word.quoted ? word.start + 1 : word.start;
  const shifted: Value = { ...holder, spanAt: (a, b) => holder.spanAt(offset + a, offset + b) };
  applySettingsText(env, word.text, shifted, scope, site, 'settings-file', start);
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

/**
 * A settings file's `env` and `apiKeyHelper`, below what an earlier settings file set (the first applied
 * wins) unless it `outranks` everything (managed settings).
 */
function applySettingsFile(
  env: ProcessEnvironment,
  found: { file: string; text: string },
  site: Site,
  outranks = false,
): void {
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
    if (outranks || !bindings.has(b.variable) || bindings.get(b.variable)!.level !== 'settings-file')
      bindings.set(b.variable, b);
  if (settings.apiKeyHelper && (outranks || !bindings.has('apiKeyHelper')))
    bindings.set('apiKeyHelper', settings.apiKeyHelper);
}

/** How one run reads settings beyond its environment. */
export interface RunSettings {
  /** What the job's earlier steps wrote (user and managed settings); absent: a process with its own home and machine (a container). */
  job?: JobFlow;
  /** The folder the run starts in. */
  start?: StartFolder;
  /** `--restricted` or CLAUDE_CODE_RESTRICTED: no user, project or local settings file. */
  restricted?: boolean;
  /** `--settings WORD`, placed where it stands inside `holder`. */
  flag?: { word: Word; holder: Value; scope: Scope };
}

/**
 * The settings a run reads, lowest first as each outranks the one before: the settings files (none in
 * restricted mode), then what `--settings` hands it, then the managed settings a step installed, which
 * nothing overrides.
 */
export function applyRunSettings(env: ProcessEnvironment, site: Site, run: RunSettings): void {
  const start = run.start ?? ROOT_FOLDER;
  if (run.restricted) env.notes.push(RESTRICTED_NOTE);
  else applyRepositorySettings(env, site, run.job, start);
  if (run.flag) applySettingsWord(env, run.flag.word, run.flag.holder, run.flag.scope, site, start);
  if (run.job) applyManagedSettings(env, site, run.job);
}

/**
 * The managed settings (`/etc/claude-code/managed-settings.json`, its `managed-settings.d/` and the macOS and
 * Windows folders) an earlier step of the job installed: their `env` and `apiKeyHelper` outrank every other
 * level, later files winning. Installed from a repository file, that file is read; written any other way,
 * or only on some paths, they are run time's.
 */
function applyManagedSettings(env: ProcessEnvironment, site: Site, job: JobFlow): void {
  for (const write of job.managedSettings ?? []) {
    if ('undecided' in write) {
      env.undecided ??= `${write.undecided}, and managed settings outrank every other settings level: their env or apiKeyHelper may set the route`;
      continue;
    }
    const found = site.repo.read(write.path);
    if (!found) {
      env.undecided ??= unreadable(`\`${write.path}\`, installed as managed settings,`);
      continue;
    }
    applySettingsFile(env, found, site, true);
  }
}

/**
 * The project's `.claude/settings*.json` in the folder the run starts in apply in `-p`, the SDK and the action
 * (no trust dialog), then `~/.claude/settings.json` when the job wrote it (`job` absent: a process that reads
 * no user settings).
 */
function applyRepositorySettings(
  env: ProcessEnvironment,
  site: Site,
  job?: JobFlow,
  start: StartFolder = ROOT_FOLDER,
): void {
  // Settings files override the process environment, but a `--settings` flag outranks them.
  const explicit = [...env.bindings].filter(([, b]) => b.level === 'settings-file');
  const project = projectSettings(site, start);
  if ('undecided' in project) env.undecided ??= project.undecided;
  // The first file applied wins (applySettingsFile): local, then project, then the user's.
  else for (const found of project.files) applySettingsFile(env, found, site);
  // ~/.claude/settings.json ranks below the project's files: applied after them, it fills only what they leave.
  // CLAUDE_CONFIG_DIR moves it: into the repository, the committed settings.json there is the user's.
  const config = job ? configFolder(env, start) : undefined;
  const user = job?.userSettings;
  if (config && 'folder' in config) {
    const path = inConfigFolder(config, 'settings.json');
    const found = site.repo.read(path);
    if (found) applySettingsFile(env, found, site);
    else if (site.repo.refused?.(path))
      env.undecided ??= `\`${path}\`, the user settings ${config.via} leads to, is a symbolic link or a file the scan does not read, which Claude Code reads`;
  } else if (user?.path) {
    const found = site.repo.read(user.path);
    if (found) applySettingsFile(env, found, site);
    else env.undecided ??= unreadable(`~/.claude/settings.json is copied from \`${user.path}\`, which`);
  } else if (user)
    env.undecided ??= 'the job writes ~/.claude/settings.json at run time, and its env may set the route';
  for (const [k, b] of explicit) if (env.bindings.get(k) !== b) env.bindings.set(k, b);
}

type Found = { file: string; text: string };

/**
 * The project settings files of the folder a run starts in. Undecided when run time names the folder, when
 * the folders it may start in hold different files, or when one is there but refused (a symbolic link):
 * Claude Code follows the link the scan will not.
 */
function projectSettings(site: Site, start: StartFolder): { files: Found[] } | { undecided: string } {
  if (start.undecided)
    return { undecided: `${start.undecided}, and the project settings there may set the route` };
  let chosen: Found[] | undefined;
  for (const folder of start.folders) {
    const files: Found[] = [];
    for (const name of folder === OUTSIDE ? [] : SETTINGS_FILES) {
      const path = folder === '' ? name : `${folder}/${name}`;
      const found = site.repo.read(path);
      if (found) files.push(found);
      else if (site.repo.refused?.(path))
        return {
          undecided: `\`${path}\` is a symbolic link or a file the scan does not read, which Claude Code reads, and its env or apiKeyHelper may set the route`,
        };
    }
    if (chosen && (chosen.length !== files.length || chosen.some((f, k) => f !== files[k])))
      return {
        undecided: `Claude starts in ${start.folders.map(shownFolder).join(' or ')}, depending on a \`cd\` that may not run, and their project settings differ`,
      };
    chosen = files;
  }
  return { files: chosen ?? [] };
}

function shownFolder(folder: string): string {
  return folder === ''
    ? 'the repository root'
    : folder === OUTSIDE
      ? 'a folder outside the repository'
      : `\`${folder}\``;
}

/**
 * A credentials file an earlier step wrote: Claude falls back to the login stored in it; or, when
 * CLAUDE_CONFIG_DIR leads into the repository, the login committed there.
 */
export function applyStoredLogin(
  env: ProcessEnvironment,
  job: JobFlow,
  site?: Site,
  start: StartFolder = ROOT_FOLDER,
): void {
  if (job.storedLogin) env.bindings.set('stored-login', job.storedLogin);
  if (site) applyConfigLogin(env, site, configFolder(env, start));
}
