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
  /** Characters of YAML read again through aliases (an alias costs its target's text each time). */
  aliasedCharacters: number;
  /** Runs found (each one `Invocation` made), callees' included. */
  runs: number;
  /** Place checks verdicts made: a finding against a run's lines, or one lookup in a file's line index. */
  verdictChecks: number;
  /** Settings files parsed (`.claude/settings*.json`, a `--settings` file): once per file, not per run. */
  settingsParsed: number;
  /** Folder entries the search of a repository for its actions listed (load.ts). */
  searchEntries: number;
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
  aliasedCharacters: 0,
  runs: 0,
  settingsParsed: 0,
  verdictChecks: 0,
  searchEntries: 0,
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
  aliased(characters: number): void {
    counts.aliasedCharacters += characters;
  },
  ran(): void {
    counts.runs += 1;
  },
  verdictChecked(): void {
    counts.verdictChecks += 1;
  },
  settingsParsed(): void {
    counts.settingsParsed += 1;
  },
  listed(entries: number): void {
    counts.searchEntries += entries;
  },
};

/** What was counted since the last call; the counts start again from zero. */
export function takeWork(): Work {
  const taken = { ...counts };
  Object.assign(counts, none());
  return taken;
}
