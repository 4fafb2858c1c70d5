/** One scan a table is made from (see scripts/fixture-tables.mjs). */
export interface FixtureUnit {
  /** The fixture's path below __tests__/fixtures: a YAML file, or a folder scanned whole. */
  name: string;
  /** Where the CLI runs, absolute; `where` is the same from the project's root. */
  cwd: string;
  where: string;
  /** The paths the CLI is given. */
  paths: string[];
  /** The table's absolute path. */
  table: string;
  /** The YAML files (below __tests__/fixtures) the table answers for. */
  covers: string[];
}

/** One run of the CLI: its exit code, its stdout (the JSON report, or empty), and its stderr lines. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string[];
}

export declare const FIXTURES: string;
export declare const TABLE_SUFFIX: string;
export declare const WRONG_TODAY: string;
export declare function fixtureUnits(root: string): FixtureUnit[];
export declare function cliArguments(unit: FixtureUnit): string[];
export declare function tableText(unit: FixtureUnit, run: CliRun): string;
export declare function readTable(
  path: string,
): { lines: string[]; wrongToday: string | undefined } | undefined;
