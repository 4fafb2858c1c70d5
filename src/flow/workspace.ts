/**
 * The spellings of the checkout's folder (`${{ github.workspace }}`, `$GITHUB_WORKSPACE`), declared once:
 * each place that reads a path from the repository root asks one of these patterns, so a new spelling
 * reaches them all.
 */

/** `${{ github.workspace }}`: the folder as an expression. */
const EXPRESSION = String.raw`\$\{\{\s*github\.workspace\s*\}\}`;
/** `$GITHUB_WORKSPACE`, `${GITHUB_WORKSPACE}`: the folder as the runner's variable. */
const VARIABLE = String.raw`\$\{?GITHUB_WORKSPACE\}?`;
/** `${{ github.workspace }}/` at the start: a path from the root, written as an expression. */
export const WORKSPACE_EXPRESSION_PATH = new RegExp(`^${EXPRESSION}/`);

/** Either spelling followed by `/` at the start: what repositoryPath removes. */
export const WORKSPACE_PATH = new RegExp(`^(${EXPRESSION}|${VARIABLE})/`);

/** Either spelling as the whole text or a path's first folder: a folder named from the root. */
export const WORKSPACE_FOLDER = new RegExp(`^(${EXPRESSION}|${VARIABLE})(/|$)`);

/** A `working-directory:` that is the workspace expression or a folder in it, blanks around allowed. */
export const WORKSPACE_EXPRESSION_FOLDER = new RegExp(String.raw`^\s*${EXPRESSION}(\/|\s*$)`);

/**
 * A folder that is the repository's when the script starts at its root: the workspace, the current folder
 * (`$PWD`, `$(pwd)`, `` `pwd` ``, `.`), or one below either; group 1 is the path below.
 */
export const WORKSPACE_OR_CURRENT = new RegExp(
  String.raw`^(?:${VARIABLE}|\$\{?PWD\}?|\$\(pwd\)|\`pwd\`|${EXPRESSION}|\.)(?:\/(.*))?$`,
);
