/**
 * PowerShell text the flow reads for its value: a program name computed from strings (`('cla' + 'ude')`,
 * `"$a$b"`), the name `Set-Alias` / `New-Alias` define, and the filter `Where-Object` applies to the items
 * of the `env:` drive. Each answers undefined where the text is not one it can spell out.
 */
import { splitTopLevel } from './powershell-calls.js';
import type { Word } from './reader.js';

/** `$name`, `${name}`, `$env:NAME`: a variable read inside a string or an expression. */
const VARIABLE = /\$(?:\{(env:)?([A-Za-z_][A-Za-z0-9_]*)\}|(env:)?([A-Za-z_][A-Za-z0-9_]*))/gi;

/** How a variable reads: a script variable (`env` false) or an environment variable, by its name. */
export type Lookup = (name: string, env: boolean) => string | undefined;

/**
 * The text a program word names when every part of it is known: a double-quoted string with variables
 * in it, or a parenthesised sum of strings and variables. `raw` is the word as written, quotes included.
 */
export function stringValue(raw: string, lookup: Lookup): string | undefined {
  const text = raw.trim();
  if (/^'([^']|'')*'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'");
  if (/^"[^"`]*"$/.test(text)) return expand(text.slice(1, -1), lookup);
  if (/^\$[A-Za-z_{]/.test(text) && !/[\s+(]/.test(text)) return expand(text, lookup);
  if (!text.startsWith('(') || !text.endsWith(')')) return undefined;
  const { parts, balanced } = splitTopLevel(text.slice(1, -1), '+');
  if (!balanced) return undefined;
  let out = '';
  for (const part of parts) {
    const value = stringValue(part, lookup);
    if (value === undefined) return undefined;
    out += value;
  }
  return out;
}

/** A string's variables replaced by their values; undefined when one is not known or a `$( )` computes. */
function expand(text: string, lookup: Lookup): string | undefined {
  if (text.includes('$(')) return undefined;
  let known = true;
  const out = text.replace(VARIABLE, (_m, braceEnv, braceName, env, name) => {
    const value = lookup((braceName ?? name) as string, Boolean(braceEnv ?? env));
    if (value === undefined) known = false;
    return value ?? '';
  });
  return known ? out : undefined;
}

/** Commands that define an alias, and the options they take a value for. */
export const ALIAS_COMMANDS = new Set(['set-alias', 'sal', 'new-alias', 'nal']);
const ALIAS_VALUES = /^-(scope|option|description)(:|$)/i;

/** `Set-Alias -Name ai -Value claude`, `sal ai claude`, `-Name:ai`: the alias and the word it names. */
export function aliasDefinition(words: Word[]): { name: string; value: Word } | undefined {
  let name: string | undefined;
  let value: Word | undefined;
  const operands: Word[] = [];
  for (let k = 1; k < words.length; k++) {
    const w = words[k]!;
    const option = /^-(name|value|definition)(?::(.+))?$/i.exec(w.quoted ? '' : w.text);
    if (option) {
      const given = option[2] !== undefined ? { ...w, text: option[2] } : words[++k];
      if (!given) break;
      if (/^name$/i.test(option[1]!)) name = given.text;
      else value = given;
    } else if (!w.quoted && ALIAS_VALUES.test(w.text)) {
      if (!w.text.includes(':')) k++;
    } else if (w.quoted || !w.text.startsWith('-')) operands.push(w);
  }
  name ??= operands.shift()?.text;
  value ??= operands.shift();
  return name && value ? { name, value } : undefined;
}

/**
 * `Where-Object Name -like 'ANTHROPIC_*'`, `? { $_.Name -match '^ANTHROPIC' }`, `where Key -eq 'X'`: the
 * test a variable's name must pass, or undefined when the filter is not one of these spelt out (it may
 * then let any variable through).
 */
export function nameFilter(words: Word[]): ((name: string) => boolean) | undefined {
  const text = words
    .slice(1)
    .map((w) => w.text)
    .join(' ')
    .replace(/^\{\s*|\s*\}$/g, '')
    .replace(/^-FilterScript\s+/i, '');
  const m =
    /^(?:\$_\.)?(?:Name|Key)\s+-(i?like|i?match|i?eq|inotlike|notlike|inotmatch|notmatch|ine|ne)\s+(?:'([^']*)'|"([^"$`]*)"|([^\s'"$`{}()]+))$/i.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const op = m[1]!.toLowerCase().replace(/^i/, '');
  const pattern = m[2] ?? m[3] ?? m[4]!;
  const negate = op.startsWith('not') || op === 'ne';
  const test = /like$/.test(op)
    ? wildcard(pattern)
    : /match$/.test(op)
      ? safeRegExp(pattern)
      : (name: string): boolean => name.toLowerCase() === pattern.toLowerCase();
  if (!test) return undefined;
  return negate ? (name) => !test(name) : test;
}

/**
 * PowerShell's `-like` wildcard (`*`, `?`), without case: matched by one scan that goes back only to the
 * last `*`, so a pattern of many stars costs no more than the name's length times the pattern's.
 */
export function wildcard(pattern: string): (name: string) => boolean {
  const p = pattern.toLowerCase();
  return (given) => {
    const name = given.toLowerCase();
    let i = 0;
    let k = 0;
    let star = -1;
    let mark = 0;
    while (i < name.length) {
      if (k < p.length && (p[k] === '?' || p[k] === name[i])) {
        i++;
        k++;
      } else if (k < p.length && p[k] === '*') {
        star = k++;
        mark = i;
      } else if (star >= 0) {
        k = star + 1;
        i = ++mark;
      } else return false;
    }
    while (p[k] === '*') k++;
    return k === p.length;
  };
}

/**
 * A `-match` pattern of letters, digits and `_` with `^`, `$` and `.*`: one the PR author cannot make
 * backtrack without end (two `.*` at most). Others are not read (the filter may then pass any name).
 */
function safeRegExp(pattern: string): ((name: string) => boolean) | undefined {
  if (!/^\^?(\w|\.\*)*\$?$/.test(pattern) || pattern.split('.*').length > 3) return undefined;
  const re = new RegExp(pattern, 'i');
  return (name) => re.test(name);
}
