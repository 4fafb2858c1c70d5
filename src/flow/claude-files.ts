import { programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';

/**
 * What a command writes into the files Claude Code reads besides the repository's: the stored login and
 * the user settings under `~/.claude/`.
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
