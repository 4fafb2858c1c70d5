import type { ActionMetadata } from '../workflow/model.js';
import { ACTION_TAGS } from './action-tags.js';

/**
 * Which release of anthropics/claude-code-action a `uses:` ref runs, so that each input and behaviour
 * applies from the version OFFICIAL_INPUTS says it first appears in. A tag is its number; a commit is read
 * through the table of the action's tags (a `# v1.0.111` comment beside it is only a hint); `v1` and a
 * branch run the newest release. A commit the table does not hold is what its own action.yml says, when
 * remote reading fetched it, and otherwise unknown.
 */

export type Version = readonly [major: number, minor: number, patch: number];

export type Release =
  /** A release of known number: `shown` is how messages name it (`v1.0.111`). */
  | { known: 'version'; version: Version; shown: string }
  /** A commit the table does not hold, read remotely: its declared inputs and the credential fallbacks it has. */
  | { known: 'read'; inputs: ReadonlySet<string>; fallbacks: ReadonlySet<string>; shown: string }
  /** A commit nobody could read: whatever depends on the release is decided at run time. */
  | { known: 'no'; why: string };

const NUMBERED = /^v(\d+)\.(\d+)\.(\d+)$/;
const COMMIT = /^[0-9a-f]{40}$/i;

export function parseVersion(tag: string): Version | undefined {
  const m = NUMBERED.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The numbered tag a commit carries (several tags may share one commit: the lowest names it). */
const TAG_OF_COMMIT: ReadonlyMap<string, string> = new Map(
  [...ACTION_TAGS].reverse().flatMap(([tag, commit]) => (NUMBERED.test(tag) ? [[commit, tag] as const] : [])),
);
const COMMIT_OF_TAG: ReadonlyMap<string, string> = new Map(ACTION_TAGS);
const NEWEST: string = ACTION_TAGS.map(([tag]) => tag)
  .filter((tag) => NUMBERED.test(tag))
  .reduce((a, b) => (compareVersions(parseVersion(a)!, parseVersion(b)!) >= 0 ? a : b));

/** Whether a ref is a commit the table of releases does not hold: only its own action.yml can say. */
export function isUnknownCommit(ref: string): boolean {
  return COMMIT.test(ref) && !TAG_OF_COMMIT.has(ref.toLowerCase());
}

function numbered(tag: string): Release {
  return { known: 'version', version: parseVersion(tag)!, shown: tag };
}

/**
 * The release a ref of the official action runs. `hint` is the version a comment beside a commit names;
 * `read` the commit's action.yml when remote reading fetched it, or why it could not.
 */
export function releaseOf(ref: string, hint?: string, read?: ActionMetadata | { why: string }): Release {
  if (NUMBERED.test(ref)) return numbered(ref);
  const tagged = TAG_OF_COMMIT.get((COMMIT_OF_TAG.get(ref) ?? ref).toLowerCase());
  if (tagged) return numbered(tagged);
  if (!COMMIT.test(ref)) {
    // `v1`, `v1.0`, a branch: what the repository serves today, the newest release.
    return numbered(NEWEST);
  }
  const short = ref.slice(0, 7);
  if (read && !('why' in read)) return readRelease(read, `commit ${short}`);
  const hinted = hint ? ` (the comment \`# ${hint}\` beside it is only a hint)` : '';
  const unread = read
    ? `its action.yml could not be read: ${read.why}`
    : 'run with --resolve-remote to read its action.yml';
  return { known: 'no', why: `commit ${short} is not a known release of the action${hinted}; ${unread}` };
}

/** A release known by its own action.yml: the inputs it declares, the credentials it falls back to the env for. */
function readRelease(action: ActionMetadata, shown: string): Release {
  const text = action.source.text;
  const fallbacks = new Set(
    [...text.matchAll(/inputs\.([a-z_]+)\s*\|\|\s*env\.([A-Z_]+)/g)].map((m) => m[1]!),
  );
  return { known: 'read', inputs: new Set(action.inputs.map((i) => i.name)), fallbacks, shown };
}

/**
 * Whether a release has what first appeared in `since` (an input, a behaviour): `undefined` when the
 * release is unknown. `has` says how a release read from its action.yml shows it.
 */
export function releaseHas(
  release: Release | undefined,
  since: string | undefined,
  has: (read: Extract<Release, { known: 'read' }>) => boolean,
): boolean | undefined {
  if (!release || !since) return true;
  if (release.known === 'no') return undefined;
  if (release.known === 'read') return has(release);
  return compareVersions(release.version, parseVersion(since)!) >= 0;
}
