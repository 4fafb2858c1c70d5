import { INSTALLS } from './commands.js';
import { bashMayMatch } from '../shell/reader.js';

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
const LOCAL_USES = /uses['"]?\s*:(?:[ \t\r\n]|#[^\n]*|[!&][^ \t\r\n'"]*|['"|>+\-0-9])*\.\//;
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
