// npm run tables: writes each fixture's table (scripts/fixture-tables.mjs says what is scanned and how a
// table reads) from the bundled CLI, after `npm run bundle` has built it from the checkout. Review every
// changed table like code before committing it: a line that looks wrong is a bug to report, not to bless.
// A table marked "# wrong today:" says what the engine should answer, so it is kept as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  cliArguments,
  FIXTURES,
  fixtureUnits,
  readTable,
  TABLE_SUFFIX,
  tableText,
} from './fixture-tables.mjs';
import { sourceHash, STAMP } from './source-hash.mjs';

const root = process.cwd();
if (!existsSync(STAMP) || readFileSync(STAMP, 'utf8').trim() !== sourceHash(root)) {
  console.error(`tables: dist/ was not built from the sources here (${STAMP}): run npm run bundle first`);
  process.exit(2);
}

const units = fixtureUnits(root);
const counts = { written: 0, same: 0, kept: 0 };
for (const unit of units) {
  const committed = readTable(unit.table);
  if (committed?.wrongToday !== undefined) {
    counts.kept++;
    console.log(`kept    ${relative(root, unit.table)} (wrong today: ${committed.wrongToday})`);
    continue;
  }
  const run = spawnSync(process.execPath, [join(root, 'dist', 'cli', 'index.js'), ...cliArguments(unit)], {
    cwd: unit.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const stderr = run.stderr.replace(/\n$/, '');
  const text = tableText(unit, {
    code: run.status,
    stdout: run.stdout,
    stderr: stderr === '' ? [] : stderr.split('\n'),
  });
  if (committed !== undefined && `${committed.lines.join('\n')}\n` === text) {
    counts.same++;
    continue;
  }
  writeFileSync(unit.table, text);
  counts.written++;
  console.log(`${committed ? 'changed' : 'new    '} ${relative(root, unit.table)}`);
}

// A table no fixture owns any more (a fixture renamed or deleted) is listed, to remove by hand.
const owned = new Set(units.map((u) => u.table));
const tables = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tables(join(dir, e.name)) : e.name.endsWith(TABLE_SUFFIX) ? [join(dir, e.name)] : [],
  );
for (const orphan of tables(join(root, FIXTURES)).filter((t) => !owned.has(t)))
  console.log(`orphan  ${relative(root, orphan)}: no fixture has this table; remove it`);
console.log(
  `${units.length} tables: ${counts.written} written, ${counts.same} unchanged, ${counts.kept} kept as wrong today`,
);
