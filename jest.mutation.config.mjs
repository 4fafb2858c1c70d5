/**
 * The suites the mutation run uses: those that import src/ and state behaviours on fixtures. Suites that
 * drive the committed bundles (dist/) cannot kill a mutant made in src/, and the corpus suites scan a
 * thousand real files per test, which would cost minutes per mutant while asserting aggregate numbers.
 */
import base from './jest.config.js';

export const MUTATION_SUITES = [
  'behaviour-*.test.ts',
  'engine.test.ts',
  'expression.test.ts',
  'flow.test.ts',
  'hostile.test.ts',
  'policy.test.ts',
  'positions.test.ts',
  'property.test.ts',
  'rules.test.ts',
  'shell.test.ts',
];

export default {
  ...base,
  testMatch: MUTATION_SUITES.map((suite) => `<rootDir>/__tests__/${suite}`),
};
