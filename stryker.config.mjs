/**
 * `npm run test:mutation`: mutation testing of the pure core, where one wrong character changes a route,
 * a verdict, a position or what reaches a runner log. Not part of CI (it takes minutes); the HTML and
 * JSON reports and the incremental file go to reports/mutation/.
 *
 * `CORE` is what the score is held on: the code where one wrong character flips a route, a verdict or
 * an escape, sized to finish in under 10 minutes on 2 cores. `WIDER` is the rest of the engine's reading (the bash reader,
 * what commands mean, every other way a credential reaches a run), thousands more mutants;
 * `MUTATION_SCOPE=wide npm run test:mutation` adds it, for a run far longer than CORE's.
 *
 * Ranges are `file:first-last` lines: keep them on the functions named beside them when the file moves.
 */

// The corpus lives beside the checkout and Stryker runs in a sandbox under .stryker-tmp/: the corpus
// blocks skip there, as on a plain clone, instead of failing for a missing folder.
process.env.REQUIRE_CORPUS = '0';
// The sandbox holds mutated sources beside the checkout's dist/: the tests that run dist/ would refuse it
// as stale (__tests__/bundle.ts), and no mutant in src/ can change what dist/ does anyway.
process.env.DIST_CHECK = '0';

const CORE = [
  // Claude Code's precedence order, the provider switches, and which variables are credentials.
  'src/claude/precedence.ts',
  // Candidates from bindings: switch values, --bare, the Anthropic host check, unknown and inferred routes.
  'src/claude/routes.ts',
  // What a value puts into a variable: an empty value, secrets, inputs, env, `a || b`, a caller's secrets.
  'src/workflow/values.ts',
  // How a `${{ }}` value is read: which secrets, inputs and env it names, and its alternatives.
  'src/workflow/expression.ts',
  // The one reader both use: the tokens and the tree of a `${{ }}` expression.
  'src/workflow/expression-reader.ts',
  // $GITHUB_ENV: which redirects add to it and which empty it, `tee` with and without `-a`, `>(tee -a ...)`
  // (writesGithubEnv .. readerEmpties), `NAME=value` lines, `NAME<<EOF` blocks and printf (githubEnvWrites ..
  // printfText).
  'src/flow/shell-effects.ts:53-126',
  'src/flow/shell-effects.ts:360-485',
  // A composite action or reusable workflow: what the caller passes wins over an input's default (calleeInputs).
  'src/flow/boundaries.ts:82-96',
  // Which runs a policy declares intended: glob matching and the allow entries (globTokens .. allowedBy).
  'src/policy/policy.ts:267-332',
  // Inline ignores: how the comment is read and which finding it covers (IGNORE .. ignoreFor).
  'src/policy/ignores.ts:15-44',
  // What reaches a runner log, a workflow command, Markdown or a terminal, and what is redacted.
  'src/report/escape.ts',
  'src/report/redact.ts',
  // The annotations GitHub shows: order and caps.
  'src/report/github.ts',
  // Code scanning: positions, levels, the result cap.
  'src/report/sarif.ts',
];

/** The rest of the engine's reading: scored when there is time to spare, not held to the threshold. */
const WIDER = [
  // A command's own env (`NAME=value` prefixes, `env -u`, `env -i`), export, unset, `export -n`, source.
  'src/flow/shell-effects.ts',
  'src/flow/consumers.ts',
  // The official action's credential, switch and claude_env inputs; every other way a credential arrives
  // (levels, boundaries, settings given to a run, a script's environment) and the runs that receive it.
  'src/flow/action-inputs.ts',
  'src/flow/action-environment.ts',
  // claude_env's `NAME: value` lines (were read in flow/action-environment.ts).
  'src/workflow/claude-env.ts',
  'src/flow/environment.ts',
  'src/flow/levels.ts',
  'src/flow/boundaries.ts',
  'src/flow/script.ts',
  // applySettingsText .. applyStoredLogin (readSettings above them was not scored before it moved here).
  'src/flow/settings.ts:82-181',
  'src/claude/invocations.ts',
  'src/claude/walker.ts',
  'src/claude/callees.ts',
  'src/claude/action-run.ts',
  'src/claude/script-runs.ts',
  'src/claude/opaque.ts',
  // The bash reader and what a command means (-p, --bare, --settings, look-alikes).
  'src/shell/reader.ts',
  'src/shell/commands.ts',
  'src/claude/commands.ts',
  // Policy parsing and inline ignores.
  'src/policy/policy.ts',
  'src/policy/ignores.ts',
];

/**
 * Equivalent mutants: changes no input can tell apart from the code as written, so no test can kill them.
 * Each is switched off on its own line in src/ by `// Stryker disable next-line <mutator>: <reason>` with
 * the same words; __tests__/mutation-config.test.ts keeps this list and those comments equal, so none is
 * added or dropped unseen. Nothing is silenced by file or by mutator.
 */
export const EQUIVALENT_MUTANTS = [
  {
    file: 'src/flow/shell-effects.ts',
    mutator: 'ConditionalExpression',
    reason: 'written again to the budget, it writes the same lines',
  },
  {
    file: 'src/report/escape.ts',
    mutator: 'EqualityOperator',
    reason: 'only C0, DEL and C1 controls get here, never 0xff itself',
  },
  {
    file: 'src/report/escape.ts',
    mutator: 'MethodExpression',
    reason: 'without the slice the output is the same, only slower',
  },
  {
    file: 'src/report/escape.ts',
    mutator: 'MethodExpression',
    reason: 'the whole text is cut to the same prefix, only later',
  },
  {
    file: 'src/policy/ignores.ts',
    mutator: 'ConditionalExpression,StringLiteral',
    reason: 'a shortcut; every line would fail IGNORE anyway',
  },
  {
    file: 'src/workflow/values.ts',
    mutator: 'StringLiteral',
    reason: 'no report or route reads the form of a value that names secrets',
  },
  {
    file: 'src/workflow/values.ts',
    mutator: 'ConditionalExpression,EqualityOperator',
    reason: 'a text kept or not classifies the same',
  },
  {
    file: 'src/workflow/values.ts',
    mutator: 'ConditionalExpression,EqualityOperator',
    reason: 'emptied early or late, it classifies the same',
  },
  {
    file: 'src/workflow/expression-reader.ts',
    mutator: 'EqualityOperator',
    reason: 'every caller refuses or never meets an unclosed string, so one more step changes nothing',
  },
  {
    file: 'src/workflow/expression.ts',
    mutator: 'EqualityOperator',
    reason: 'one step past the end matches nothing, and the check below stops',
  },
  {
    file: 'src/workflow/expression.ts',
    mutator: 'ArithmeticOperator',
    reason: 'no `${{` can start inside the `}}` just found, so j - 2 finds the same',
  },
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.mjs', enableFindRelatedTests: false },
  // Jest runs the TypeScript sources as ES modules.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  coverageAnalysis: 'perTest',
  // A mutant is killed by its first failing test; the mutation run's jest environment
  // (__tests__/mutation-environment.cjs) skips the tests after it, so the report names that one test.
  disableBail: false,
  concurrency: 2,
  // A mutant that loops is cut off at its tests' own time plus this; each one costs a worker restart.
  timeoutMS: 3000,
  // Jest's ES module loader keeps every run's modules (about 17 MB a run here): a fresh worker every 50
  // runs keeps the heap, and the garbage collector's work, small.
  maxTestRunnerReuse: 50,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress-append-only'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  mutate: process.env.MUTATION_SCOPE === 'wide' ? [...new Set([...CORE, ...WIDER])] : CORE,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
