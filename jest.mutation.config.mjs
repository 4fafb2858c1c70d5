/** The mutation run's jest: the project's own config, with one entry file that loads the chosen suites. */
import { fileURLToPath } from 'node:url';
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/mutation-entry.ts'],
  // An absolute path: Stryker loads the environment itself, before jest would expand <rootDir>.
  testEnvironment: fileURLToPath(new URL('./__tests__/mutation-environment.cjs', import.meta.url)),
};
