// Fails when tests go missing without failing: fewer tests ran than the floor in .ci/test-floor, a test
// was skipped while the corpus is required, or a test file did not run (a syntax error, a file jest no
// longer finds). Reads jest's --json results.
//   node .ci/check-tests.mjs JEST.json
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const withCorpus = process.env.REQUIRE_CORPUS === '1';
const floors = Object.fromEntries(
  readFileSync(join(root, '.ci', 'test-floor'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.trim().split(/\s+/)),
);
const floor = Number(floors[withCorpus ? 'corpus' : 'no-corpus']);
const problems = [];

const ran = results.numPassedTests + results.numFailedTests;
if (!Number.isInteger(floor)) problems.push('.ci/test-floor has no "corpus" and "no-corpus" counts');
else if (ran < floor)
  problems.push(
    `${ran} tests ran, fewer than the floor of ${floor} in .ci/test-floor: a test or a test file went missing`,
  );

const skipped = results.testResults.flatMap((file) =>
  file.assertionResults
    .filter((t) => t.status === 'pending' || t.status === 'todo' || t.status === 'skipped')
    .map((t) => `${relative(root, file.name)}: ${t.fullName}`),
);
if (withCorpus && skipped.length > 0)
  problems.push(`${skipped.length} test(s) skipped while REQUIRE_CORPUS=1:\n  ${skipped.join('\n  ')}`);

const broken = results.testResults
  .filter((file) => file.status === 'failed' && file.assertionResults.length === 0)
  .map((file) => relative(root, file.name));
if (broken.length > 0) problems.push(`test file(s) that did not run: ${broken.join(', ')}`);

const onDisk = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() && e.name !== 'fixtures'
      ? onDisk(join(dir, e.name))
      : e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
const run = new Set(results.testResults.map((file) => relative(root, file.name)));
const notRun = onDisk('__tests__').filter((file) => !run.has(file));
if (notRun.length > 0) problems.push(`test file(s) jest did not run: ${notRun.join(', ')}`);

if (problems.length > 0) {
  for (const p of problems) console.error(`FAILED: ${p}`);
  process.exit(1);
}
console.log(`${ran} tests ran (floor ${floor}), ${skipped.length} skipped, every test file ran`);
