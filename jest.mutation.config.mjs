/** The mutation run's jest: the project's own config, with one entry file that loads the chosen suites. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/mutation-entry.ts'],
};
