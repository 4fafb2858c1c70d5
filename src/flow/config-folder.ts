import { SourceFile } from '../workflow/source.js';
import { emptyValue, type Binding } from '../workflow/values.js';
import type { ProcessEnvironment, Site } from './environment.js';
import { movedTo, OUTSIDE, type StartFolder } from './start-folder.js';

/**
 * `CLAUDE_CONFIG_DIR` moves what Claude Code keeps in `~/.claude`: the stored login (`.credentials.json`)
 * and the user settings (`settings.json`), and so does a HOME a step sets. Pointed into the checkout, a
 * committed login is the run's stored login, and a committed `settings.json` its user settings.
 */
export type ConfigFolder = { folder: string; via: ConfigVariable } | { undecided: string };
type ConfigVariable = 'CLAUDE_CONFIG_DIR' | 'HOME';

/**
 * Where the run's config folder leads: CLAUDE_CONFIG_DIR, else `.claude` in the HOME a step sets (Claude
 * Code's `~/.claude`): a folder of the repository, or why only run time knows; else none (the runner's
 * own home, which holds only what the job writes there).
 */
export function configFolder(env: ProcessEnvironment, start: StartFolder): ConfigFolder | undefined {
  const config = namedFolder(env, 'CLAUDE_CONFIG_DIR', start);
  if (config !== 'unset') return config;
  const home = namedFolder(env, 'HOME', start);
  if (home === 'unset' || home === undefined || 'undecided' in home)
    return home === 'unset' ? undefined : home;
  return { folder: home.folder === '' ? '.claude' : `${home.folder}/.claude`, via: 'HOME' };
}

/** The folder `variable` names, read as a `cd` would read it; 'unset' when the run has no value for it. */
function namedFolder(
  env: ProcessEnvironment,
  variable: ConfigVariable,
  start: StartFolder,
): ConfigFolder | undefined | 'unset' {
  const bound = env.bindings.get(variable);
  if (!bound || bound.value.presence === 'empty') return 'unset';
  const text = bound.value.literal ?? bound.value.written;
  const named = text === undefined ? variable : `${variable} (\`${text}\`)`;
  const what =
    variable === 'HOME'
      ? 'a login or settings.json in its `.claude` folder'
      : 'a login or settings.json there';
  const undecided = {
    undecided: `${named} names a folder only run time knows, and ${what} may set the route`,
  };
  if (text === undefined) return undecided;
  // `$PWD` is the folder the run starts in; everything else is as a `cd` would read it.
  const at = movedTo(start, text.replace(/^\$\{?PWD\}?(?=\/|$)/, '.'));
  const [folder, ...others] = at.folders;
  if (at.undecided || folder === undefined || others.length > 0) return undecided;
  return folder === OUTSIDE ? undefined : { folder, via: variable };
}

/** `name` inside the config folder, from the repository root. */
export function inConfigFolder(config: { folder: string }, name: string): string {
  return config.folder === '' ? name : `${config.folder}/${name}`;
}

/**
 * The login committed at `path`: a stored login whose place is the file itself, so a finding about it
 * lands there. Written in the repository (`literal`), it is told from one a step writes at run time.
 */
export function committedLogin(found: { file: string; text: string }): Binding {
  const source = new SourceFile(found.file, found.text);
  const key = found.text.indexOf('"claudeAiOauth"');
  const span = key >= 0 ? source.span(key, key + '"claudeAiOauth"'.length) : source.span(0, 0);
  return {
    variable: 'stored-login',
    level: 'credentials-file',
    file: found.file,
    keySpan: span,
    value: { ...emptyValue(found.file, span), presence: 'set', form: 'literal' },
  };
}

/**
 * The stored login of a run whose CLAUDE_CONFIG_DIR leads into the repository: the committed
 * `.credentials.json` there; a file the scan refuses (a link) leaves the route to run time.
 */
export function applyConfigLogin(
  env: ProcessEnvironment,
  site: Site,
  config: ConfigFolder | undefined,
): void {
  if (!config) return;
  if ('undecided' in config) {
    env.undecided ??= config.undecided;
    return;
  }
  const path = inConfigFolder(config, '.credentials.json');
  const found = site.repo.read(path);
  if (found) env.bindings.set('stored-login', committedLogin(found));
  else if (site.repo.refused?.(path))
    env.undecided ??= `\`${path}\`, where ${config.via} puts the stored login, is a symbolic link or a file the scan does not read, and Claude Code reads it`;
}
