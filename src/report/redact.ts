import { IS_CREDENTIAL_VARIABLE } from '../claude/precedence.js';

export const REDACTED = '<redacted>';

/** Names whose value is a credential whatever it looks like: Claude's own, and the usual secret words. */
const SECRET_NAME = /(?:api_?key|token|secret|passw(?:or)?d|credential|private_?key|auth)/i;

/** Shapes that are credentials wherever they appear, even with no name in front. */
const KNOWN_SHAPES =
  /\b(?:sk-ant-[A-Za-z0-9_-]+|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,})/g;

/** `name=`, `name:`, `"name":` and `'name' =`: the place where a bound value starts. */
const BINDING = /\b([A-Za-z_][A-Za-z0-9_-]*)(["']?)(\s*[:=]\s*)/g;

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

/**
 * A source line as it may be printed under a finding: every value bound to a credential name, every URL
 * password and query value, and every known token shape replaced by `<redacted>`. References (`${{ secrets.X }}`, `$X`)
 * stay, since they name a secret without holding it.
 */
export function redactLine(line: string): string {
  const cuts: { from: number; to: number }[] = [];
  for (const m of line.matchAll(BINDING)) {
    if (!isSecretName(m[1]!)) continue;
    const { from, to } = valueEnd(line, m.index + m[0].length);
    const value = line.slice(from, to);
    if (value === '' || value.startsWith('$')) continue;
    cuts.push({ from, to });
  }
  for (const m of line.matchAll(URL_PASSWORD)) {
    const from = m.index + m[1]!.length;
    cuts.push({ from, to: from + m[2]!.length });
  }
  for (const url of line.matchAll(URL_TEXT)) {
    const query = QUERY.exec(url[0]);
    if (!query) continue;
    for (const m of query[0].matchAll(QUERY_VALUE)) {
      const value = m[1]!;
      if (value === '' || value.startsWith('$')) continue;
      const from = url.index + query.index + m.index + m[0].length - value.length;
      cuts.push({ from, to: from + value.length });
    }
  }
  for (const m of line.matchAll(KNOWN_SHAPES)) cuts.push({ from: m.index, to: m.index + m[0].length });
  cuts.sort((a, b) => a.from - b.from);
  let out = '';
  let at = 0;
  for (const c of cuts) {
    if (c.to <= at) continue;
    out += line.slice(at, Math.max(at, c.from)) + REDACTED;
    at = c.to;
  }
  return out + line.slice(at);
}
