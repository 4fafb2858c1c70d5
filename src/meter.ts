/**
 * Counts of the engine's work, for the tests that guard against runaway work: they compare what a scan
 * did with the size of its input, never with a clock, so a busy machine cannot fail them. Each count is
 * one call where the work is done; nothing in a report reads them.
 */
export interface Work {
  /** Characters of bash read; a nested script (`$(...)`, `bash -c`, a heredoc fed to a shell) counts again. */
  shellCharacters: number;
  /** Calls followed into reusable workflows, composite actions and repository scripts. */
  expansions: number;
  /** `${{ }}` texts parsed (a text parsed before comes from a cache). */
  expressionsParsed: number;
  /** Steps of evaluating `${{ }}` expressions over known values (workflow/evaluate.ts). */
  expressionSteps: number;
  /** Characters printf was read to write. */
  printfCharacters: number;
  /** Positions of a path that policy globs visited: one pass over the path per token of a glob. */
  globPositions: number;
  /** Characters of `claude_env` lines read for their `NAME: value` (workflow/claude-env.ts). */
  envLineCharacters: number;
  /** `>(` words passed and commands checked to tell which commands run inside a `>(...)` (flow/script.ts). */
  substitutionChecks: number;
}

const none = (): Work => ({
  shellCharacters: 0,
  expansions: 0,
  expressionsParsed: 0,
  expressionSteps: 0,
  printfCharacters: 0,
  globPositions: 0,
  envLineCharacters: 0,
  substitutionChecks: 0,
});

const counts = none();

export const meter = {
  read(from: number, to: number): void {
    counts.shellCharacters += to - from;
  },
  expanded(): void {
    counts.expansions += 1;
  },
  parsed(): void {
    counts.expressionsParsed += 1;
  },
  evaluated(): void {
    counts.expressionSteps += 1;
  },
  /** Counts what printf writes and hands it on. */
  printed(text: string): string {
    counts.printfCharacters += text.length;
    return text;
  },
  globPass(path: string): void {
    counts.globPositions += path.length + 1;
  },
  envLineRead(characters: number): void {
    counts.envLineCharacters += characters;
  },
  substitutionChecked(): void {
    counts.substitutionChecks += 1;
  },
};

/** What was counted since the last call; the counts start again from zero. */
export function takeWork(): Work {
  const taken = { ...counts };
  Object.assign(counts, none());
  return taken;
}
