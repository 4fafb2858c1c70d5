import { IS_CREDENTIAL_VARIABLE, OTHER_TOKEN_SHAPE } from '../claude/precedence.js';

export const REDACTED = '<redacted>';

/**
 * Names whose value is a credential whatever it looks like: Claude's own, and the usual secret words.
 * `auth` is a secret word, `author` and `authority` are not (`authorization` is). A header or a flag
 * spells them with hyphens (`x-api-key:`, `--anthropic-api-key=`), an env variable with underscores.
 */
const SECRET_NAME =
  /(?:api[_-]?key|token|secret|passw(?:or)?d|credential|private[_-]?key|auth(?!or(?!i[sz])))/i;

/**
 * Values that are words of the workflow language, not credentials: `secrets: inherit`, `id-token:
 * write`, `permissions: read-all`, a switch's `true`. Under a credential variable's own name
 * (ANTHROPIC_API_KEY) nothing is let through: whatever it holds is what the key is.
 */
const KEYWORD = /^(?:inherit|read|write|none|read-all|write-all|true|false|null|yes|no|on|off)$/i;

/** `Authorization: Bearer x`: the scheme is a word, the credential is the word after it. */
const SCHEME = /^(?:bearer|basic|token) +/i;

/** Shapes that are credentials wherever they appear, even with no name in front. */
const KNOWN_SHAPES = new RegExp(`\\b(?:sk-ant-[A-Za-z0-9_-]+|${OTHER_TOKEN_SHAPE.source})`, 'g');

/**
 * `name=`, `name:`, `"name":` and `'name' =`: the place where a bound value starts; and `name == ` or
 * `name != ` in an expression, where the value compared with it starts (an empty `''` stays, a written
 * value does not). The operator itself is never part of the value.
 */
const BINDING = /\b([A-Za-z_][A-Za-z0-9_-]*)(["']?)(\s*(?:===?|!==?|[:=])\s*)/g;

/** `scheme://user:password@host`: the password. */
const URL_PASSWORD = /(:\/\/[^\s/:@"']*:)([^\s/@"']+)(@)/g;

/** A URL, and each value of its query (`?key=...&sig=...`): gateways take keys there, under any name. */
const URL_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>]+/g;
const QUERY = /\?.*/;
const QUERY_VALUE = /[?&][^=&#]*=([^&#]*)/g;

export function isSecretName(name: string): boolean {
  return IS_CREDENTIAL_VARIABLE.has(name) || SECRET_NAME.test(name);
}

/** Where a value that starts at `start` ends: its closing quote, or the first blank or separator. */
function valueEnd(line: string, start: number): { from: number; to: number } {
  const quote = line[start];
  if (quote === '"' || quote === "'") {
    const close = line.indexOf(quote, start + 1);
    return { from: start + 1, to: close === -1 ? line.length : close };
  }
  const stop = line.slice(start).search(/[\s,;}"']/);
  return { from: start, to: stop === -1 ? line.length : start + stop };
}

/** A part of a line replaced by `<redacted>`, as 0-based offsets into the line as written. */
export interface Cut {
  from: number;
  to: number;
}

/** The value bound at `start` when it must not be printed; undefined when it may be. */
function secretValue(line: string, name: string, start: number): Cut | undefined {
  let { from, to } = valueEnd(line, start);
  const scheme = SCHEME.exec(line.slice(from, to + 1));
  if (scheme) ({ from, to } = valueEnd(line, from + scheme[0].length));
  const value = line.slice(from, to);
  if (value === '' || value.startsWith('$')) return undefined;
  if (!IS_CREDENTIAL_VARIABLE.has(name) && KEYWORD.test(value)) return undefined;
  return { from, to };
}

/**
 * A source line as it may be printed under a finding: every value bound to a credential name, every URL
 * password and URL query value, and every known token shape replaced by `<redacted>`, and the parts
 * replaced (in order, none overlapping) so a column of the line can be found again. References
 * (`${{ secrets.X }}`, `$X`) stay, since they name a secret without holding it, and so do keywords such
 * as `secrets: inherit`.
 */
export function redact(line: string): { text: string; cuts: Cut[] } {
  const found: Cut[] = [];
  for (const m of line.matchAll(BINDING)) {
    if (!isSecretName(m[1]!)) continue;
    const cut = secretValue(line, m[1]!, m.index + m[0].length);
    if (cut) found.push(cut);
  }
  for (const m of line.matchAll(URL_PASSWORD)) {
    const from = m.index + m[1]!.length;
    found.push({ from, to: from + m[2]!.length });
  }
  for (const url of line.matchAll(URL_TEXT)) {
    const query = QUERY.exec(url[0]);
    if (!query) continue;
    for (const m of query[0].matchAll(QUERY_VALUE)) {
      const value = m[1]!;
      if (value === '' || value.startsWith('$')) continue;
      const from = url.index + query.index + m.index + m[0].length - value.length;
      found.push({ from, to: from + value.length });
    }
  }
  for (const m of line.matchAll(KNOWN_SHAPES)) found.push({ from: m.index, to: m.index + m[0].length });
  found.sort((a, b) => a.from - b.from);
  let text = '';
  let at = 0;
  const cuts: Cut[] = [];
  for (const c of found) {
    if (c.to <= at) continue;
    const from = Math.max(at, c.from);
    text += line.slice(at, from) + REDACTED;
    cuts.push({ from, to: c.to });
    at = c.to;
  }
  return { text: text + line.slice(at), cuts };
}

export function redactLine(line: string): string {
  return redact(line).text;
}

/**
 * Where a 0-based offset of the line as written falls in the redacted line, so a caret stays under its
 * span. An offset inside a redacted part falls at the start of `<redacted>` when it opens a span
 * (`end` false) and after it when it closes one.
 */
export function redactedOffset(cuts: readonly Cut[], offset: number, end: boolean): number {
  let shift = 0;
  for (const c of cuts) {
    if (offset <= c.from) break;
    if (offset < c.to) return c.from + shift + (end ? REDACTED.length : 0);
    shift += REDACTED.length - (c.to - c.from);
  }
  return offset + shift;
}
