import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  LogError,
  LogScanner,
  type LogMessage,
  type LogWork,
  type Position,
  type ScanEnd,
} from './scanner.js';

/**
 * Reading a Claude Code log from where its run left it (normally RUNNER_TEMP, outside the workspace): a
 * regular file reached without any symbolic link, or standard input; never more than its size cap, and
 * never held whole: chunks go through the scanner as they are read.
 */

/** The default cap on one log: far above a long run's execution file, far below what would hurt the runner. */
export const DEFAULT_MAX_LOG_BYTES = 100 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export interface ReadLog extends ScanEnd {
  work: LogWork;
}

/** Why a log was not read, in one line without its text: where, and a fixed sentence. */
export interface LogProblem {
  at?: Position;
  reason: string;
}

// O_NOFOLLOW refuses a final symbolic link; O_NONBLOCK keeps a FIFO from blocking the open itself.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Whether a folder on the way to `path` is a symbolic link (or cannot be resolved at all). */
function reachedThroughLink(path: string): boolean {
  const folder = dirname(path);
  try {
    return realpathSync.native(folder) !== folder;
  } catch {
    return true;
  }
}

/** A log file, scanned chunk by chunk; `onMessage` sees each message as it is read. */
export function readLogFile(path: string, maxBytes: number, scanner: LogScanner): ReadLog | LogProblem {
  const absolute = resolve(path);
  if (reachedThroughLink(absolute))
    return { reason: 'a folder on its path is a symbolic link (or missing); give the real path' };
  let fd: number;
  try {
    fd = openSync(absolute, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ELOOP') return { reason: 'it is a symbolic link, not followed' };
    return { reason: code === 'ENOENT' ? 'no such file' : `cannot be read (${code})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { reason: 'not a regular file' };
    if (stat.size > maxBytes) return tooLarge(stat.size, maxBytes);
    const buffer = Buffer.alloc(Math.min(CHUNK, stat.size + 1));
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      total += n;
      // A file that grows while it is read cannot run past what fstat promised.
      if (total > stat.size) return { reason: 'it changed while it was read' };
      scanner.push(buffer.subarray(0, n));
    }
    return { ...scanner.end(), work: scanner.work };
  } catch (error) {
    if (error instanceof LogError) return { at: error.at, reason: error.reason };
    return { reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    closeSync(fd);
  }
}

/** Standard input (`-`), scanned as it arrives; more than `maxBytes` stops the read. */
export async function readLogStream(
  input: AsyncIterable<Buffer | string>,
  maxBytes: number,
  scanner: LogScanner,
): Promise<ReadLog | LogProblem> {
  try {
    for await (const piece of input) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (scanner.work.bytes + chunk.length > maxBytes) return tooLarge(undefined, maxBytes);
      scanner.push(chunk);
    }
    return { ...scanner.end(), work: scanner.work };
  } catch (error) {
    if (error instanceof LogError) return { at: error.at, reason: error.reason };
    return { reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

function tooLarge(size: number | undefined, maxBytes: number): LogProblem {
  const what = size === undefined ? 'it is' : `it is ${size} bytes,`;
  return {
    reason: `${what} over the log size limit of ${maxBytes} bytes (--max-log-size, input max-log-size)`,
  };
}

export function isProblem(read: ReadLog | LogProblem): read is LogProblem {
  return 'reason' in read;
}

export type { LogMessage };
