/** A callee in another repository, as a `uses:` names it: `owner/repo[/path]@ref`. */
export interface RemoteAddress {
  owner: string;
  repo: string;
  /** The folder of an action ('' for the root) or the file of a reusable workflow. */
  path: string;
  ref: string;
}

export type CalleeKind = 'action' | 'workflow';

const REMOTE_USES = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)((?:\/[^@\s]*)?)@([^\s@]+)$/;

/** The remote address of a `uses:` value; undefined for `./local`, `docker://` and expressions. */
export function remoteAddress(uses: string): RemoteAddress | undefined {
  const text = uses.trim();
  if (text.includes('${{')) return undefined;
  const m = REMOTE_USES.exec(text);
  if (!m) return undefined;
  const [owner, repo, rest, ref] = [m[1]!, m[2]!, m[3]!, m[4]!];
  const path = rest.replace(/^\/|\/$/g, '');
  // `.` or `..` as a name, or in the path, would have the request name another place than the one written
  // (fetch resolves dot segments), and so would an empty segment, an escaped one or a backslash.
  if ([owner, repo].some(isDotSegment) || (path !== '' && !path.split('/').every(isPlainSegment)))
    return undefined;
  if (ref.split('/').some((part) => !isPlainSegment(part))) return undefined;
  return { owner, repo, path, ref };
}

const isDotSegment = (part: string): boolean => /^\.+$/.test(part);

/** A path segment the API reads as written: not empty, no dots alone, no `%` escape, no backslash. */
const isPlainSegment = (part: string): boolean => part !== '' && !isDotSegment(part) && !/[%\\]/.test(part);

/** One key per callee: GitHub treats owner and repository names case-insensitively, paths and refs not. */
export function addressKey(kind: CalleeKind, a: RemoteAddress): string {
  return `${kind}:${a.owner.toLowerCase()}/${a.repo.toLowerCase()}/${a.path}@${a.ref}`;
}

/** `./path` inside a remote reusable workflow names a file of that repository at the same ref. */
export function inRepository(home: RemoteAddress, localUses: string): RemoteAddress | undefined {
  const path = localUses.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  if (!path.split('/').every(isPlainSegment)) return undefined;
  return { owner: home.owner, repo: home.repo, ref: home.ref, path };
}

/** Where a person reads the file: `https://{server}/{owner}/{repo}/blob/{ref}/{path}`. */
export function blobUrl(server: string, a: RemoteAddress, file: string): string {
  const path = file
    .split('/')
    .filter(Boolean)
    .map((part) => encodeURIComponent(part))
    .join('/');
  const ref = a.ref
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
  return `${server.replace(/\/+$/, '')}/${a.owner}/${a.repo}/blob/${ref}/${path}`;
}

const BLOB = /^https?:\/\/[^/]+\/[^/]+\/[^/]+\/blob\//;

/** A file name the engine gave a remote callee (its blob URL), not a file of the scanned repository. */
export function isRemoteFile(file: string): boolean {
  return BLOB.test(file);
}

/** The web server of an API base: api.github.com serves github.com, Enterprise Server's /api/v3 its host. */
export function serverFor(apiUrl: string, serverUrl?: string): string {
  if (serverUrl) return serverUrl.replace(/\/+$/, '');
  const api = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/i.test(api)) return 'https://github.com';
  return api.replace(/\/api\/v3$/i, '');
}

/** A link target built from our own base and a repository path: each segment percent-encoded. */
export function urlPath(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[()'*!]/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
    )
    .join('/');
}
