// The mutation run's test environment (jest.mutation.config.mjs). A mutant is killed by its first failing
// test, so the tests after that one are skipped rather than run for nothing. Stryker wraps this class in its
// own environment, which calls this handler unbound first: hence an arrow function, not a method.
const { TestEnvironment } = require('jest-environment-node');

class StopAtFirstFailure extends TestEnvironment {
  failed = false;

  handleTestEvent = (event) => {
    if (event.name === 'test_done' && event.test.errors.length > 0) this.failed = true;
    if (event.name === 'test_start' && this.failed) event.test.mode = 'skip';
  };
}

module.exports = StopAtFirstFailure;
