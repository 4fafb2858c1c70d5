/**
 * Every fixture's whole answer, against its reviewed table (`<fixture>.expected.tsv`, see
 * scripts/fixture-tables.mjs): each route row with its verdict, each finding of every rule with its span and
 * related places, what was not followed, stderr and the exit code. The CLI runs on src/ in this process;
 * `npm run tables` writes the tables from the bundle, and a changed table is reviewed like code.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli } from '../src/cli.js';
import {
  cliArguments,
  FIXTURES,
  fixtureUnits,
  readTable,
  TABLE_SUFFIX,
  tableText,
  type FixtureUnit,
} from '../scripts/fixture-tables.mjs';
import { ROOT } from './helpers.js';

const UNITS = fixtureUnits(ROOT);

/** The table of the CLI run on `unit` in this process, as `npm run tables` writes it from the bundle. */
function tableNow(unit: FixtureUnit): string[] {
  let stdout = '';
  const stderr: string[] = [];
  const code = runCli(cliArguments(unit), {
    cwd: unit.cwd,
    stdout: (t) => (stdout += t),
    stderr: (t) => stderr.push(...t.split('\n')),
  }) as number; // without --resolve-remote the CLI answers at once
  return tableText(unit, { code, stdout, stderr }).replace(/\n$/, '').split('\n');
}

describe('each fixture’s table', () => {
  for (const unit of UNITS) {
    const committed = readTable(unit.table);
    // A table that says what the engine should answer, where it answers otherwise today: expected to
    // fail until the engine is fixed, when it fails for passing and its "# wrong today:" line goes.
    const wrong = committed?.wrongToday;
    const test = wrong === undefined ? it : it.failing;
    test(wrong === undefined ? unit.name : `${unit.name} (wrong today: ${wrong})`, () => {
      if (committed === undefined)
        throw new Error(`${relative(ROOT, unit.table)} is missing: run npm run tables, then review it`);
      expect(tableNow(unit)).toEqual(committed.lines);
    });
  }
});

describe('the tables themselves', () => {
  const tablesUnder = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? tablesUnder(join(dir, e.name))
        : e.name.endsWith(TABLE_SUFFIX)
          ? [relative(ROOT, join(dir, e.name))]
          : [],
    );

  it('answer for every YAML fixture once, and each belongs to a fixture', () => {
    const covered = UNITS.flatMap((u) => u.covers);
    expect(covered.length).toBe(new Set(covered).size);
    const yaml = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
        .map((e) => relative(join(ROOT, FIXTURES), join(e.parentPath, e.name)));
    expect(covered.sort()).toEqual(yaml(join(ROOT, FIXTURES)).sort());
    expect(tablesUnder(join(ROOT, FIXTURES)).sort()).toEqual(
      UNITS.map((u) => relative(ROOT, u.table)).sort(),
    );
    expect(UNITS.filter((u) => !existsSync(u.table)).map((u) => u.name)).toEqual([]);
  });

  it('are scanned from their repository, and a folder with a policy whole', () => {
    const byName = new Map(UNITS.map((u) => [u.name, u]));
    expect(
      ['behaviour/.github/workflows/bare.yml', 'broken.yml', 'multi-repo', 'policy-repo'].map((name) => {
        const u = byName.get(name)!;
        return [u.where, u.paths, relative(ROOT, u.table)];
      }),
    ).toEqual([
      [
        `${FIXTURES}/behaviour`,
        ['.github/workflows/bare.yml'],
        `${FIXTURES}/behaviour/.github/workflows/bare.yml${TABLE_SUFFIX}`,
      ],
      [FIXTURES, ['broken.yml'], `${FIXTURES}/broken.yml${TABLE_SUFFIX}`],
      [`${FIXTURES}/multi-repo`, ['alpha', 'beta'], `${FIXTURES}/multi-repo${TABLE_SUFFIX}`],
      [`${FIXTURES}/policy-repo`, [], `${FIXTURES}/policy-repo${TABLE_SUFFIX}`],
    ]);
  });
});
