import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Opening files that the pull request author chose. A committed symbolic link can point at `/dev/zero`,
 * a FIFO, `/` or the runner user's home; so a file is opened without following a final link and without
 * blocking, checked to be a regular file on the open descriptor, and read only up to its limit.
 */

export type Opened =
  { bytes: Buffer } | { problem: string; code: 'link' | 'special' | 'size' | 'io'; size?: number };

// O_NOFOLLOW refuses a final symbolic link; O_NONBLOCK keeps a FIFO from blocking the open itself.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export function readRegularFile(
  path: string,
  maxBytes: number,
  options: { followLink?: boolean } = {},
): Opened {
  let fd: number;
  try {
    fd = openSync(path, options.followLink ? OPEN_FLAGS & ~(constants.O_NOFOLLOW ?? 0) : OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ELOOP') return { problem: 'a symbolic link, not followed', code: 'link' };
    return { problem: `cannot read file: ${code}`, code: 'io' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: 'not a regular file, skipped', code: 'special' };
    if (stat.size > maxBytes)
      return { problem: `${stat.size} bytes, over the limit of ${maxBytes}`, code: 'size', size: stat.size };
    // Read at most what fstat promised plus one byte, so a file that grows meanwhile cannot run long.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > stat.size) return { problem: 'changed while it was read', code: 'io' };
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { problem: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, code: 'io' };
  } finally {
    closeSync(fd);
  }
}

/** `child` is `root` itself or lies below it; plain string prefixes would admit `/ws-secret` for `/ws`. */
export function isWithin(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

const realRoots = new Map<string, string | undefined>();

/** realpath of a trusted root (the workspace, the cwd), asked once per process. */
export function realRoot(root: string): string | undefined {
  if (!realRoots.has(root)) {
    try {
      realRoots.set(root, realpathSync.native(root));
    } catch {
      realRoots.set(root, undefined);
    }
  }
  return realRoots.get(root);
}

/**
 * Whether `path` (absolute or relative to `root`) lies inside `root` with no symbolic link on any
 * component below it: its real path must be exactly the real root plus the same relative path.
 * A path that does not exist yet counts as inside when its nearest existing parent is.
 */
export function noLinkBelow(root: string, path: string): boolean {
  const absolute = resolve(root, path);
  if (!isWithin(root, absolute)) return false;
  const real = realRoot(root);
  if (real === undefined) return false;
  const rel = relative(root, absolute);
  // Nothing there (not even a dangling link): its parent decides. Asked without an exception, because
  // missing callees are common and a thrown error costs more than the lookup itself.
  const entry = entryAt(absolute);
  // A path the system refuses to look at (too long, a loop, no permission) cannot be shown to be safe.
  if (entry === 'refused') return false;
  if (!entry) return parentHasNoLink(root, absolute);
  try {
    // The system's realpath: one call, where the JavaScript one makes an lstat per path component.
    return realpathSync.native(absolute) === resolve(real, rel);
  } catch (error) {
    // Something is there but cannot be resolved: a dangling link, or one that went away meanwhile.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || entryAt(absolute)) return false;
    return parentHasNoLink(root, absolute);
  }
}

/**
 * What is at `absolute`, or undefined when nothing is: not even a folder on the way (`file.sh/x`).
 * 'refused' when the system will not say (ENAMETOOLONG, ELOOP, EACCES...): the pull request names these
 * paths, so any answer of the file system is a fact about the path, never an exception.
 */
function entryAt(absolute: string): ReturnType<typeof lstatSync> | 'refused' {
  try {
    return lstatSync(absolute, { throwIfNoEntry: false });
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? undefined : 'refused';
  }
}

function parentHasNoLink(root: string, absolute: string): boolean {
  const parent = resolve(absolute, '..');
  return parent !== absolute && noLinkBelow(root, parent);
}

/** `path` resolved against the first base, and the base it lies strictly inside, if any. */
function placeIn(bases: string[], path: string): { absolute: string; base: string | undefined } {
  const absolute = resolve(bases[0]!, path);
  return { absolute, base: bases.find((b) => isWithin(b, absolute) && absolute !== b) };
}

/**
 * Writes `path` (relative to the first base, or absolute inside any base) without ever writing through
 * a symbolic link: every folder on the way must be a real folder (missing ones are created), an existing
 * file is removed and the new one created exclusively, so a link put there meanwhile makes it fail.
 * Returns the absolute path written, or why not.
 */
export function writeInside(
  bases: string[],
  path: string,
  content: string | Iterable<string>,
): { written: string } | { refused: string } {
  const { absolute, base } = placeIn(bases, path);
  if (base === undefined)
    return { refused: `it is outside the workspace${bases.length > 1 ? ' and the runner temp folder' : ''}` };
  let at = base;
  const parts = relative(base, absolute).split(sep);
  for (const [i, part] of parts.entries()) {
    at = resolve(at, part);
    const last = i === parts.length - 1;
    let stat;
    try {
      stat = lstatSync(at);
    } catch {
      if (last) break;
      try {
        mkdirSync(at);
        continue;
      } catch (error) {
        return {
          refused: `cannot create folder ${relative(base, at)} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        };
      }
    }
    if (stat.isSymbolicLink()) return { refused: `${relative(base, at)} is a symbolic link` };
    if (!last && !stat.isDirectory()) return { refused: `${relative(base, at)} is not a folder` };
    if (last && !stat.isFile()) return { refused: 'it exists and is not a regular file' };
    if (last) unlinkSync(at);
  }
  try {
    if (typeof content === 'string') writeFileSync(absolute, content, { flag: 'wx' });
    else {
      // Written as it is made: a large report is never one string.
      const fd = openSync(absolute, 'wx');
      try {
        for (const piece of content) writeSync(fd, piece);
      } finally {
        closeSync(fd);
      }
    }
  } catch (error) {
    return { refused: `cannot create it (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return { written: absolute };
}

// O_CREAT without O_EXCL makes the file when it is missing; O_NOFOLLOW refuses a link put in its place.
const APPEND_FLAGS =
  constants.O_WRONLY |
  constants.O_APPEND |
  constants.O_CREAT |
  (constants.O_NOFOLLOW ?? 0) |
  (constants.O_NONBLOCK ?? 0);

/**
 * Appends to `path` (relative to the first base, or absolute inside any base) with the care `writeInside`
 * takes: no symbolic link on the way or at the end, and only a regular file. For files another process
 * made and reads after us (the runner's job summary), which must be added to, not replaced.
 */
export function appendInside(
  bases: string[],
  path: string,
  content: string,
): { written: string } | { refused: string } {
  const { absolute, base } = placeIn(bases, path);
  if (base === undefined) return { refused: `it is outside ${bases.join(' and ')}` };
  // The folders on the way here; a link at the end itself is refused by the open.
  if (!noLinkBelow(base, dirname(absolute))) return { refused: 'a symbolic link is on its way' };
  let fd: number;
  try {
    fd = openSync(absolute, APPEND_FLAGS, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { refused: code === 'ELOOP' ? 'it is a symbolic link' : `cannot open it (${code})` };
  }
  try {
    if (!fstatSync(fd).isFile()) return { refused: 'it is not a regular file' };
    writeSync(fd, content);
    return { written: absolute };
  } catch (error) {
    return { refused: `cannot write it (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    closeSync(fd);
  }
}
