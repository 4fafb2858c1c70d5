import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Content, ContentSource } from './source.js';

const COMMIT_SHA = /^[0-9a-f]{40}$/i;

/** Where the CLI keeps SHA-pinned callees: the platform's per-user cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home = homedir()): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'claude-route-guard');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'claude-route-guard');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'claude-route-guard');
  return join(home, '.cache', 'claude-route-guard');
}

/**
 * A file at a commit SHA never changes, so it is kept on disk and read from there next time. Tags and
 * branches move and always go to the source. A cache that cannot be read or written is only slower.
 */
export class ShaCache implements ContentSource {
  hits = 0;

  constructor(
    private readonly dir: string,
    private readonly source: ContentSource,
    private readonly maxBytes: number,
  ) {}

  async get(owner: string, repo: string, ref: string, path: string): Promise<Content> {
    if (!COMMIT_SHA.test(ref)) return this.source.get(owner, repo, ref, path);
    const key = createHash('sha256')
      .update(`${owner.toLowerCase()}/${repo.toLowerCase()}\0${ref.toLowerCase()}\0${path}`)
      .digest('hex');
    const file = join(this.dir, `${key}.yml`);
    const cached = this.read(file);
    if (cached !== undefined) {
      this.hits++;
      return { text: cached };
    }
    const content = await this.source.get(owner, repo, ref, path);
    if ('text' in content) this.write(file, content.text);
    return content;
  }

  private read(file: string): string | undefined {
    try {
      // A link planted in the cache folder is not followed.
      const stat = lstatSync(file);
      if (!stat.isFile() || stat.size > this.maxBytes) return undefined;
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private write(file: string, text: string): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const partial = `${file}.${process.pid}.part`;
      writeFileSync(partial, text, { mode: 0o600 });
      renameSync(partial, file);
    } catch {
      // No cache this time; the answer itself is good.
    }
  }
}
