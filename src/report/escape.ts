/**
 * One escaping function per output channel. Every string that a scanned file can influence (file names,
 * job ids, step names, `uses:` text, policy reasons, response headers) passes the function of the channel
 * it is printed to, because the pull request author wrote those files.
 */

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const WORD_JOINER = '\u2060';
const ZERO_WIDTH_SPACE = '\u200b';

function visible(c: string): string {
  const code = c.charCodeAt(0);
  // Stryker disable next-line EqualityOperator: only C0, DEL and C1 controls get here, never 0xff itself
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}

/**
 * Text for a runner log line. The runner reads a line as a command when it starts with `::` after
 * trimming, or holds `##[` anywhere (the legacy syntax); a line break would start a new line that does.
 */
export function logText(text: string): string {
  let out = text.replace(CONTROLS, visible);
  while (out.includes('##[')) out = out.replace(/##\[/g, `#${WORD_JOINER}#[`);
  return noCommandAtStart(out);
}

/**
 * A line that no longer starts a workflow command: for lines that layout makes out of text already
 * escaped, where a word from the middle of a name (`::stop-commands::`) can begin a wrapped line.
 */
export function noCommandAtStart(line: string): string {
  const lead = /^\s*::/.exec(line);
  return lead ? `${lead[0].slice(0, -1)}${WORD_JOINER}:${line.slice(lead[0].length)}` : line;
}

/**
 * Text for a terminal, which may itself be a runner log (the CLI in a `run:` step): no escape sequence
 * can move the cursor or erase a line, and nothing reads as a workflow command.
 */
export function terminalText(text: string): string {
  return logText(text);
}

/** The message of a workflow command (`::error ...::message`): a line break would end the command. */
export function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property of a workflow command (`file=`, `title=`): `:` and `,` would end the property. */
export function commandProperty(text: string): string {
  return commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A surrogate code unit without its pair: no character, and text a JSON parser may refuse. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for the Checks API: an annotation's message or title in a check run, which GitHub shows as plain
 * text (no Markdown, no mention; https://github.com/isaacs/github/issues/1684), sent as a string in a
 * JSON body, which serialisation keeps whole whatever it holds. What is left to do is what would mislead
 * a reader or be refused: controls and bidirectional overrides are shown as their codes (as in a log), a
 * lone surrogate (a YAML `"\ud800"` makes one) becomes U+FFFD, and the text is cut to `maxBytes` bytes
 * of UTF-8 with an ellipsis. The API counts its limits in characters or KB; a byte count is within both.
 */
export function checkRunText(text: string, maxBytes: number): string {
  // Every code unit is at least one byte: a longer prefix could not fit, so a huge name costs nothing.
  // Stryker disable next-line MethodExpression: the whole text is cut to the same prefix, only later
  const head = text.slice(0, maxBytes);
  const escaped = head.replace(CONTROLS, visible).replace(LONE_SURROGATE, '\ufffd');
  // Buffer.byteLength counts UTF-8 unless told otherwise.
  if (head.length === text.length && Buffer.byteLength(escaped) <= maxBytes) return escaped;
  const ellipsis = '…';
  let room = maxBytes - Buffer.byteLength(ellipsis);
  let cut = '';
  for (const c of escaped) {
    room -= Buffer.byteLength(c);
    if (room < 0) break;
    cut += c;
  }
  return cut + ellipsis;
}

/**
 * JSON (or SARIF) text that is also safe as a runner log: `##[` only occurs inside strings, where
 * `\u0023` is the same `#` to a JSON reader and no command to the runner. JSON already escapes controls.
 */
export function jsonText(json: string): string {
  return json.replace(/##\[/g, '#\\u0023[');
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  '\\': '&#92;',
  '*': '&#42;',
  '~': '&#126;',
  // `$x$` and `$$x$$` are math on GitHub, in text and inside inline HTML alike.
  $: '&#36;',
};

/** The longest text one table cell or list item shows; the rest is cut with an ellipsis. */
export const MARKDOWN_CELL_LIMIT = 300;

/** At most `limit` characters of the original (as a reader counts them), with an ellipsis when cut. */
function cutTo(text: string, limit: number): string {
  // Slicing a bounded prefix first keeps a megabyte-long name from costing a megabyte-long array.
  // Stryker disable next-line MethodExpression: without the slice the output is the same, only slower
  const head = [...text.slice(0, limit * 2)];
  return head.length > limit || text.length > limit * 2 ? `${head.slice(0, limit).join('')}…` : text;
}

/** One line: a line break (a lone CR too) or a control character becomes a blank. */
function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ').replace(CONTROLS, ' ');
}

/** Text-node escaping: markup characters as entities, mentions and links broken by a zero-width space. */
function inertText(text: string): string {
  return (
    oneLine(text)
      // A zero-width space breaks the mention, reference and autolink that GitHub finds in text nodes.
      .replace(/[@#]/g, `$&${ZERO_WIDTH_SPACE}`)
      .replace(/\bwww\./gi, `www${ZERO_WIDTH_SPACE}.`)
      .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
      // `GH-12` is an issue reference and `:shipit:` an emoji image, even in a table cell.
      .replace(/\bGH-(?=\d)/gi, (gh) => `${gh.slice(0, 2)}${ZERO_WIDTH_SPACE}-`)
      .replace(/:(?=[A-Za-z+-][\w+-]*:)/g, `:${ZERO_WIDTH_SPACE}`)
      .replace(/[&<>`[\]|\\*~$]/g, (c) => HTML_ENTITIES[c]!)
      // An underscore inside a word (CLAUDE_CODE_OAUTH_TOKEN) never starts emphasis; one at a word's edge can.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '&#95;')
  );
}

/**
 * Escaping inside `<code>`, with no invisible character, so a copied value (a `uses:` line) is exact: the
 * markup characters, and what Markdown itself would link (`://`, `www.`, an e-mail's `@`), become entities,
 * which the page shows as the characters. GitHub makes no mention, reference or emoji inside `code`.
 */
function inertCode(text: string): string {
  return oneLine(text).replace(
    /[&<>`[\]|\\*~@#$]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|:(?=\/\/)|(?<=\bwww)\./gi,
    (c) => HTML_ENTITIES[c] ?? `&#${c.charCodeAt(0)};`,
  );
}

/**
 * Inert text for GitHub Markdown (job summary, PR comment), also inside a table cell: no HTML, link,
 * image, emoji, code span, emphasis, math, @mention, #reference or GH-reference, no line break (a lone CR too), at most `limit`
 * characters of the original.
 */
export function markdownText(text: string, limit = MARKDOWN_CELL_LIMIT): string {
  return inertText(cutTo(text, limit));
}

/** A code-looking span that is still inert: `<code>` decodes the entities that a backtick span would show. */
export function markdownCode(text: string, limit = MARKDOWN_CELL_LIMIT): string {
  return `<code>${inertCode(cutTo(text, limit))}</code>`;
}

/**
 * A sentence of ours that quotes names in backticks (`` `secrets.X` ``): the quoted parts become inert
 * code spans a reader can copy exactly, the rest inert text. A backtick the quoted name brings along can
 * only move where a span starts or ends; both sides are inert.
 */
export function markdownProse(text: string, limit = MARKDOWN_CELL_LIMIT): string {
  return cutTo(text, limit)
    .split(/(`[^`]+`)/)
    .map((part) =>
      part.length > 2 && part.startsWith('`') && part.endsWith('`')
        ? `<code>${inertCode(part.slice(1, -1))}</code>`
        : inertText(part),
    )
    .join('');
}

/** A copy of a value with every string in it passed through `escape`: a whole report made fit for one channel. */
export function escapeStrings<T>(value: T, escape: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return escape(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  return walk(value) as T;
}
