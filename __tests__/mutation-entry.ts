/**
 * The mutation run's only test file (jest.mutation.config.mjs). Stryker runs every suite for every mutant,
 * filtered by test name, and each test file costs a fresh load of the engine: importing the suites into
 * one file loads it once. `npm test` does not match it (no `.test.ts`).
 *
 * The suites: those that import src/ and state behaviours on fixtures. Left out: suites that drive the
 * committed bundles (dist/), which cannot kill a mutant made in src/; the corpus suites, which scan a
 * thousand real files per test to assert aggregate numbers; and suites whose cost is their input
 * (hostile.test.ts builds 10 MB files, property.test.ts hundreds of generated workflows).
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUITES = [
  /^behaviour-.*\.test\.ts$/,
  /^engine\.test\.ts$/,
  /^expression\.test\.ts$/,
  /^flow\.test\.ts$/,
  /^held-behaviour\.test\.ts$/,
  /^policy\.test\.ts$/,
  /^positions\.test\.ts$/,
  /^rules\.test\.ts$/,
  /^shell\.test\.ts$/,
];

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).sort();
for (const suite of SUITES) {
  const matched = files.filter((name) => suite.test(name));
  // A renamed suite must not drop out of the mutation run unnoticed.
  if (matched.length === 0) throw new Error(`no test file matches ${suite}`);
  for (const name of matched) await import(`./${name.replace(/\.ts$/, '.js')}`);
}
