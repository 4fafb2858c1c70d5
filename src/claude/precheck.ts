import { officialInputs } from '../flow/action-inputs.js';
import { CLAUDE_CREDENTIALS } from '../flow/consumers.js';
import { bashMayMatch } from '../shell/reader.js';
import { INSTALLS } from './commands.js';
import { PRECEDENCE } from './precedence.js';

/**
 * Whether a file's raw text could yield a Claude run, a route, a finding beyond a YAML error, an
 * unresolved reference or a note. False means modelling the file is proven to add nothing, so only its
 * YAML is checked; most workflows in a repository never mention Claude, and modelling them costs as much
 * as parsing them. Every trigger below is a superset of what the engine reacts to:
 *
 * - Claude's and Anthropic's names, also as bash may spell them (`cl''aude`, `c\laude`, `$'\x63laude'`): runs, the action, packages and SDK imports, every route variable
 *   (all start with CLAUDE_ or ANTHROPIC_), key shapes (sk-ant-), inline ignores (claude-route-guard:);
 * - `.sh`: a repository script a step runs may start Claude, and scripts are only followed then;
 * - an install from the repository's manifest (`npm ci`, `uv sync`, `pip install -r`): the manifest may
 *   declare the Agent SDK, and every later script of the job may then be the agent;
 * - `uses:` with a value starting `./`: a local action or reusable workflow may hold a run, and a missing
 *   one is an unresolved entry (between the key and the path only what YAML allows there: spaces, line
 *   breaks, comments, quotes, block indicators, a tag or an anchor);
 * - `inherit`: `secrets: inherit` hands every credential on;
 * - `/.github/workflows/`: another repository's reusable workflow is listed as not followed;
 * - the scanned repository's own `owner/name/`: a call to it in remote form is read from the checkout.
 *
 * Only a double-quoted YAML string can spell a word other than as written (`\x63laude`, an escaped line
 * break inside a word), so the model applies `quotedMayInvolveClaude` to those strings once they are
 * parsed; it cannot see their context, so any `./` or `uses` in one counts.
 */
const WORDS = /claude|anthropic|sk-ant-|agent.sdk|agent_sdk|code_sdk|\.sh\b|inherit|\/\.github\/workflows\//i;
/**
 * Each alternative between the key and the path starts with its own character and a comment runs to its
 * line's end, so a line of `#` or `!` is read once, not in every way it could be split.
 */
const BETWEEN = String.raw`(?:[ \t\r\n]|#[^\n]*\n|[!&][^ \t\r\n'"]*(?![^ \t\r\n'"])|['"|>+\-0-9])*`;
/** `? uses # why` then `: ./path` on the next line is a key too: comments may stand before its colon. */
const LOCAL_USES = new RegExp(String.raw`uses['"]?(?:[ \t\r\n]|#[^\n]*\n)*:${BETWEEN}\.\/`);
const QUOTED_PATH = /\.\/|uses/i;

function namesRepository(text: string, repositoryName: string | undefined): boolean {
  return repositoryName !== undefined && text.toLowerCase().includes(`${repositoryName.toLowerCase()}/`);
}

export function mayInvolveClaude(text: string, repositoryName?: string): boolean {
  return (
    bashMayMatch(WORDS, text) ||
    LOCAL_USES.test(text) ||
    INSTALLS.test(text) ||
    namesRepository(text, repositoryName)
  );
}

/** The same test for the value of a double-quoted scalar, read without the key it belongs to. */
export function quotedMayInvolveClaude(value: string, repositoryName?: string): boolean {
  return (
    bashMayMatch(WORDS, value) ||
    QUOTED_PATH.test(value) ||
    INSTALLS.test(value) ||
    namesRepository(value, repositoryName)
  );
}

/**
 * The names a route is chosen by, as a file may write them: each switch and credential of Claude Code's
 * precedence, the credentials that make a process a consumer, and the official action's inputs that set
 * one (`use_bedrock`, which a wrapper's input of that name becomes too). Derived, so a new variable in
 * those tables is a trigger without a word here; entries that are not names (`stored-login`) are states.
 */
const ROUTE_NAMES: readonly string[] = [
  ...new Set([
    ...PRECEDENCE,
    ...CLAUDE_CREDENTIALS,
    ...officialInputs()
      .filter(([, input]) => input.effect === 'credential' || input.effect === 'switch')
      .flatMap(([name, input]) => [name, input.becomes ?? name]),
  ]),
].filter((name) => /^[A-Za-z_]\w*$/.test(name));

/**
 * What no file that is left unparsed may hold, in any case, besides the modelling triggers: any secret,
 * and the route names those triggers do not already catch (most hold `claude` or `anthropic`).
 */
const PARSE_WORDS = new RegExp(
  ['secrets', ...ROUTE_NAMES.filter((name) => !mayInvolveClaude(name))].join('|'),
  'i',
);

/**
 * The first thing in the file is a key at column 0 (after comments, blank lines and a bare `---`), so a
 * well-formed file is a block mapping; directives are not allowed before it (`%YAML 1.1` reads `on` as true).
 */
const ROOT_IS_MAPPING =
  /^\uFEFF?(?:[ \t]*(?:#[^\n]*)?\r?\n|---[ \t]*(?:#[^\n]*)?\r?\n)*[A-Za-z_][\w-]*[ \t]*:(?![^ \t\r\n])/;
/**
 * A `jobs:`, `on:` or `runs:` key at column 0. Under a root block mapping that is a key of the root: a
 * block scalar, a quoted string or a flow collection of a value cannot hold a line at column 0 (YAML
 * rejects the latter two there, and ends the first before it).
 */
const KIND_KEY = /^(?:jobs|on|runs)[ \t]*:(?![^ \t\r\n])/m;
/** An alias (`*name`, also `<<: *name`) where a node can start: it repeats text written elsewhere. */
const ALIAS = /(?:^|[\s[{,])\*[^\s[\]{},]/m;

/** YAML's escapes of a double-quoted string that can spell a character otherwise written as itself. */
const YAML_ESCAPE = /\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|\r?\n[ \t]*|([^]))/g;
const SINGLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

/**
 * The file's text with every YAML escape decoded as a double-quoted string would decode it, wherever it
 * stands. Inside a double-quoted string this is its value (decoding runs left to right, as YAML's does,
 * and an opening quote starts afresh); elsewhere it adds text that may match, which only errs towards parsing.
 */
function unescaped(text: string): string {
  return text.replace(YAML_ESCAPE, (_escape, x?: string, u?: string, wide?: string, single?: string) => {
    const code = x ?? u ?? wide;
    if (code !== undefined) return String.fromCodePoint(Math.min(Number.parseInt(code, 16), 0x10ffff));
    if (single === undefined) return ''; // an escaped line break joins the lines
    // `\"`, `\\`, `\/`, `\ ` and a tab stand for themselves (and so, as a superset, does anything else).
    return SINGLE_ESCAPES[single] ?? single;
  });
}

/**
 * Whether a file can be left unparsed: proven by its raw text to be a workflow or action that modelling
 * would find nothing in, whatever its YAML. `mayMatter` is the modelling test (`mayInvolveClaude` and what
 * the scan adds to it). Not parsing means a YAML error in such a file is not reported: it cannot change
 * who pays for Claude, and GitHub itself rejects the file (README, "What is not checked").
 *
 * Every way the parsed model could see more than the raw text is covered: a double-quoted string's escapes
 * (the text is also tested decoded), an alias that repeats a `./` path or a `uses` key elsewhere (any alias
 * with a `./` in the file is parsed), and what the file is (a key at column 0 first, and `jobs:`, `on:` or
 * `runs:` at column 0, else a file that is neither would no longer be listed as skipped).
 */
export function cannotInvolveClaude(text: string, mayMatter: (text: string) => boolean): boolean {
  if (!ROOT_IS_MAPPING.test(text) || !KIND_KEY.test(text)) return false;
  if (ALIAS.test(text) && text.includes('./')) return false;
  const mayHold = (spelt: string): boolean => mayMatter(spelt) || PARSE_WORDS.test(spelt);
  return !mayHold(text) && !(text.includes('\\') && mayHold(unescaped(text)));
}
