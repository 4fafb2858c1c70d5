import type { Policy } from '../policy/policy.js';
import { ignoreFor, readIgnores, type InlineIgnore } from '../policy/ignores.js';
import type { Span } from '../types.js';
import type { SourceFile } from '../workflow/source.js';

export interface IgnoreOptions {
  /** Told each file's inline ignores as they are read, with the text they were read from. */
  sawIgnores?: (file: string, text: string, ignores: readonly InlineIgnore[]) => void;
  /** Ignores that do not apply to this run (a PR's own, where the base governs): neither used nor judged. */
  refusesIgnore?: (file: string, ignore: InlineIgnore) => boolean;
}

/**
 * Inline ignores by the file that holds them, each file read once: a finding is ignored where it is
 * reported, which for a run behind a wrapper can be another file than the one being scanned. Each scanned
 * file is kept with the policy it follows: its ignores are judged once every file has had its turn.
 */
export class IgnoreBook {
  private readonly byFile = new Map<string, InlineIgnore[]>();
  private readonly scanned: { file: string; policy: Policy }[] = [];

  constructor(private readonly options: IgnoreOptions) {}

  /** A file whose turn it is: its ignores are read now and judged at the end under `policy`. */
  scannedFile(file: string, source: SourceFile, policy: Policy): void {
    if (!this.byFile.has(file)) this.scanned.push({ file, policy });
    this.of(file, () => source);
  }

  /** Whether an ignore in `file` covers a finding of `rule` at `span`; the ignore that does is used. */
  covers(file: string, source: () => SourceFile | undefined, rule: string, span: Span): boolean {
    const ignore = ignoreFor(this.of(file, source), rule, span);
    if (ignore) ignore.used = true;
    return ignore !== undefined;
  }

  /** Every scanned file's ignores with the policy the file follows, in the order the files were scanned. */
  *judged(): Generator<{ file: string; policy: Policy; ignores: readonly InlineIgnore[] }> {
    for (const { file, policy } of this.scanned) yield { file, policy, ignores: this.byFile.get(file) ?? [] };
  }

  private of(file: string, source: () => SourceFile | undefined): InlineIgnore[] {
    let found = this.byFile.get(file);
    if (!found) {
      const text = source();
      found = text ? readIgnores(text) : [];
      if (text && found.length > 0) this.options.sawIgnores?.(file, text.text, found);
      const refuses = this.options.refusesIgnore;
      if (refuses) found = found.filter((ignore) => !refuses(file, ignore));
      this.byFile.set(file, found);
    }
    return found;
  }
}
