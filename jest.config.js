/** Jest runs the TypeScript sources as ESM through ts-jest. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Only a hang should fail a test on time: a busy machine (CI, a shared host) can make a child process
  // or a whole-corpus scan take minutes. No test compares elapsed time with a number; see src/meter.ts.
  testTimeout: 600_000,
  globalSetup: '<rootDir>/__tests__/corpus-setup.js',
};
