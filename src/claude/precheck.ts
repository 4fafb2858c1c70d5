/**
 * Whether a file's raw text could yield a Claude run, a route, a finding beyond a YAML error, an
 * unresolved reference or a note. False means modelling the file is proven to add nothing, so only its
 * YAML is checked; most workflows in a repository never mention Claude, and modelling them costs as much
 * as parsing them. Every trigger below is a superset of what the engine reacts to:
 *
 * - Claude's and Anthropic's names: runs, the action, packages and SDK imports, every route variable
 *   (all start with CLAUDE_ or ANTHROPIC_), key shapes (sk-ant-), inline ignores (claude-route-guard:);
 * - `.sh`: a repository script a step runs may start Claude, and scripts are only followed then;
 * - `./`: a local action or reusable workflow may hold a run, and a missing one is an unresolved entry;
 * - `inherit`: `secrets: inherit` hands every credential on;
 * - `/.github/workflows/`: another repository's reusable workflow is listed as not followed;
 * - the scanned repository's own `owner/name/`: a call to it in remote form is read from the checkout.
 *
 * Only a double-quoted YAML string can spell a word other than as written (`\x63laude`, an escaped line
 * break inside a word), so the model applies the same test to those strings once they are parsed.
 */
const TRIGGER =
  /claude|anthropic|sk-ant-|agent.sdk|agent_sdk|code_sdk|\.sh\b|inherit|\.\/|\/\.github\/workflows\//i;

export function mayInvolveClaude(text: string, repositoryName?: string): boolean {
  return (
    TRIGGER.test(text) ||
    (repositoryName !== undefined && text.toLowerCase().includes(`${repositoryName.toLowerCase()}/`))
  );
}
