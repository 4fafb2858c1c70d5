/**
 * `npm run test:mutation`: mutation testing of the pure core, where one wrong character changes a route,
 * a verdict, a position or what reaches a runner log. Not part of CI (it takes minutes); reports go to
 * reports/mutation/. Each file's reason to be in the scope is next to it.
 */

// The corpus lives beside the checkout and Stryker runs in a sandbox under .stryker-tmp/: the corpus
// blocks skip there, as on a plain clone, instead of failing for a missing folder.
process.env.REQUIRE_CORPUS = '0';
// Each surviving mutant reruns the property tests: fewer cases keep a run within minutes.
process.env.PROPERTY_RUNS ??= '40';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.mjs', enableFindRelatedTests: false },
  // Jest runs the TypeScript sources as ES modules.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10000,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress-append-only'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  mutate: [
    // Claude Code's precedence, the provider switches, and which variables are credentials.
    'src/claude/precedence.ts',
    // Candidates from bindings: switch values, --bare, the Anthropic host check, unknown and inferred routes.
    'src/claude/routes.ts',
    // What an expression puts into a variable: secrets, inputs, env, `a || b`, a caller's secrets.
    'src/claude/values.ts',
    'src/workflow/expression.ts',
    // The credential-flow stage: what a script does to its environment and who consumes a credential.
    'src/flow/shell-effects.ts',
    'src/flow/consumers.ts',
    // How credentials reach each run: levels, composite inputs and defaults, action inputs, claude_env,
    // settings, stored logins, a script's environment.
    'src/claude/invocations.ts',
    // The bash reader and what each command means (a headless run, a look-alike, --bare).
    'src/claude/shell.ts',
    'src/claude/commands.ts',
    // Which findings the policy allows or re-grades, and inline ignores.
    'src/policy/policy.ts',
    'src/policy/ignores.ts',
    // What reaches a runner log, a workflow command, Markdown or a terminal, and what is redacted.
    'src/report/escape.ts',
    'src/report/redact.ts',
    // The annotations GitHub shows: order and caps.
    'src/report/github.ts',
    // Code scanning positions.
    'src/report/sarif.ts',
  ],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
