import { programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import type { ManagedWrite } from './levels.js';
import { repositoryPath } from './start-folder.js';

/**
 * What a command writes into the files Claude Code reads besides the repository's: the stored login and
 * the user settings under `~/.claude/`, and the machine's managed settings.
 */

export const CREDENTIALS_FILE = /\.claude\/\.credentials\.json\b/;
const CLAUDE_DIR = /(^|\/)\.claude\/?$/;

export const USER_SETTINGS = /(^|\/)(~|\$\{?HOME\}?)\/\.claude\/(settings\.json)?$/;
const USER_SETTINGS_DIR = /(^|\/)(~|\$\{?HOME\}?)\/\.claude\/?$/;

/** Options of `cp` and `install` that take a value: the value is no operand. */
const OPTION_VALUES: Record<string, ReadonlySet<string>> = {
  cp: new Set(['-t', '-S', '--suffix']),
  install: new Set(['-m', '-o', '-g', '-t', '-S', '--mode', '--owner', '--group', '--suffix']),
  tee: new Set(),
  mv: new Set(['-t', '-S', '--suffix']),
  ln: new Set(['-t', '-S', '--suffix']),
};

/** The operands of a copy, and the folder `-t DIR` / `--target-directory=DIR` names. */
function copyOperands(name: string, words: Word[]): { operands: Word[]; targetDir?: Word } {
  const operands: Word[] = [];
  let targetDir: Word | undefined;
  const valued = OPTION_VALUES[name]!;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.text.startsWith('--target-directory='))
      targetDir = { ...w, text: w.text.slice('--target-directory='.length) };
    else if (valued.has(w.text)) {
      if (w.text === '-t') targetDir = words[i + 1];
      i++;
    } else if (!w.text.startsWith('-')) operands.push(w);
  }
  return targetDir ? { operands, targetDir } : { operands };
}

/**
 * `cp .claude/settings.json ~/.claude/settings.json` (also `"$HOME/.claude/settings.json"`, `install -D -m 600`,
 * `cp settings.json ~/.claude/`): the user settings Claude reads come from that repository file. Any other
 * write (`>`, `tee`, a computed source) is content only run time knows; a file copied into ~/.claude/ under
 * another name is not the settings file.
 */
export function userSettingsWrite(command: Command): { path?: string } | undefined {
  for (const r of command.redirects)
    if (r.target && (r.op === '>' || r.op === '>>') && USER_SETTINGS.test(r.target.text)) return {};
  const at = programIndex(command.words);
  const name = command.words[at]?.text;
  if (name !== 'cp' && name !== 'install' && name !== 'tee') return undefined;
  const { operands, targetDir } = copyOperands(name, command.words.slice(at + 1));
  const target = targetDir ?? operands[operands.length - 1];
  if (!target || !(USER_SETTINGS.test(target.text) || USER_SETTINGS_DIR.test(target.text))) return undefined;
  const sources = name === 'tee' ? [] : targetDir ? operands : operands.slice(0, -1);
  // Into the folder, a file keeps its own name: only one named settings.json becomes the settings.
  const intoFolder = targetDir !== undefined || USER_SETTINGS_DIR.test(target.text);
  const from = intoFolder ? sources.find((w) => /(^|\/)settings\.json$/.test(w.text)) : sources[0];
  if (intoFolder && !from) return undefined;
  const path = from?.text.replace(/^\.\//, '');
  if (path && !path.includes('$') && /\.json$/.test(path)) return { path };
  return /settings/.test(target.text) || (path !== undefined && /settings/.test(path)) ? {} : undefined;
}

export function credentialsFileTarget(command: Command): Word | undefined {
  for (const r of command.redirects)
    if (r.target && (r.op === '>' || r.op === '>>') && CREDENTIALS_FILE.test(r.target.text)) return r.target;
  const name = command.words[programIndex(command.words)]?.text;
  if (name === 'tee' || name === 'cp' || name === 'mv' || name === 'install' || name === 'ln') {
    const operands = command.words.slice(1).filter((w) => !w.text.startsWith('-'));
    const target = operands[operands.length - 1];
    if (target && CREDENTIALS_FILE.test(target.text)) return target;
    // `cp saved/.credentials.json ~/.claude/`: copied into the folder under its own name.
    if (
      target &&
      CLAUDE_DIR.test(target.text) &&
      operands.some((w) => /(^|\/)\.credentials\.json$/.test(w.text))
    )
      return target;
  }
  return undefined;
}

/**
 * The folders Claude Code reads managed settings from: Linux, macOS, Windows (and its older ProgramData
 * folder), however a script spells the Windows one.
 */
const MANAGED_FOLDER = String.raw`(?:/etc/claude-code|/Library/Application Support/ClaudeCode|(?:[A-Za-z]:|\$\{?env:ProgramFiles\}?|%ProgramFiles%|\$\{?env:ProgramData\}?|%ProgramData%)[\\/](?:(?:Program Files|ProgramData)[\\/])?ClaudeCode)`;
/** `managed-settings.json`, or a drop-in of `managed-settings.d/`. */
const MANAGED_FILE = new RegExp(
  String.raw`^${MANAGED_FOLDER}[\\/]managed-settings(?:\.json|\.d[\\/][^\\/]+\.json)$`,
  'i',
);
const MANAGED_DROP_INS = new RegExp(String.raw`^${MANAGED_FOLDER}[\\/]managed-settings\.d[\\/]?$`, 'i');
const MANAGED_DIR = new RegExp(String.raw`^${MANAGED_FOLDER}[\\/]?$`, 'i');
/** Names the managed settings folder anywhere in a word (`of=/etc/claude-code/managed-settings.json`). */
const NAMES_MANAGED = new RegExp(String.raw`${MANAGED_FOLDER}[\\/]managed-settings`, 'i');
/** Programs that read a file they are given, or make its folder, and write no settings into it. */
const LEAVES_MANAGED = new Set([
  'cat',
  'ls',
  'stat',
  'test',
  '[',
  'head',
  'tail',
  'grep',
  'jq',
  'mkdir',
  'chmod',
]);

/**
 * A command that installs managed settings (`sudo cp ci/policy.json /etc/claude-code/managed-settings.json`,
 * `install -D`, a drop-in into `managed-settings.d/`): the repository file they come from; any other
 * write (`>`, `tee`, a computed source, a program that names the file) is content only run time knows.
 */
export function managedSettingsWrite(command: Command): ManagedWrite | undefined {
  const runTime = (target: string): ManagedWrite => ({
    undecided: `a step writes \`${target}\` at run time`,
  });
  for (const r of command.redirects)
    if (r.target && /^>/.test(r.op) && MANAGED_FILE.test(r.target.text)) return runTime(r.target.text);
  const at = programIndex(command.words);
  const name = command.words[at]?.text ?? '';
  if (!Object.hasOwn(OPTION_VALUES, name)) {
    const named = command.words.slice(at + 1).find((w) => NAMES_MANAGED.test(w.text));
    return named && !LEAVES_MANAGED.has(name) ? runTime(named.text) : undefined;
  }
  const { operands, targetDir } = copyOperands(name, command.words.slice(at + 1));
  const target = targetDir ?? operands[operands.length - 1];
  if (!target) return undefined;
  const sources = name === 'tee' ? [] : targetDir ? operands : operands.slice(0, -1);
  // Into a folder a file keeps its own name: the base file by its name, a drop-in by any `.json` name.
  const from = MANAGED_FILE.test(target.text)
    ? sources[0]
    : MANAGED_DROP_INS.test(target.text)
      ? sources.find((w) => /\.json$/.test(w.text))
      : MANAGED_DIR.test(target.text)
        ? sources.find((w) => /(^|[\\/])managed-settings\.json$/.test(w.text))
        : undefined;
  if (!from) return MANAGED_FILE.test(target.text) ? runTime(target.text) : undefined;
  const path = repositoryPath(from.text);
  return /[$`]/.test(path) || path.startsWith('/') ? runTime(target.text) : { path };
}
