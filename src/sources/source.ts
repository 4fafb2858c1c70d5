/** A file's text, or why it could not be had; `missing` when another name may still be tried. */
export type Content = { text: string } | { why: string; missing?: boolean };

/** Where callees' texts come from: the GitHub API of the run, a cache in front of it, a test double. */
export interface ContentSource {
  get(owner: string, repo: string, ref: string, path: string): Promise<Content>;
}
