import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mayInvolveClaude } from '../src/claude/precheck.js';
import { PRECEDENCE } from '../src/claude/precedence.js';
import { CLAUDE_CREDENTIALS } from '../src/flow/consumers.js';
import { officialInputs } from '../src/flow/action-inputs.js';
import { loadFiles, type LoadOptions } from '../src/load.js';
import { formatJson } from '../src/report/json.js';
import { formatText } from '../src/report/text.js';
import { scan, type Report } from '../src/scan.js';
import { describeWithCorpus, rebuildBulk } from './corpus.js';
import { CORPUS } from './helpers.js';
import { bothWays, unparsedDropped } from './report-checks.js';

/** Every file a row, a finding other than a parse-error, an unresolved entry or a skip names. */
function filesWithOutput(report: Report): Set<string> {
  return new Set([
    ...report.routes.flatMap((r) => [r.file, ...r.hops.map((h) => h.file)]),
    ...report.findings.filter((f) => f.rule !== 'parse-error').map((f) => f.file),
    ...report.unresolved.map((u) => u.file),
    ...report.skipped.map((s) => s.file),
  ]);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** The pre-checks' whole contract on one scan, and the parse-errors they dropped. */
function expectOnlyParseErrorsDropped(run: ReturnType<typeof bothWays>): string[] {
  const { checked, modelled, notParsed } = run;
  expect(checked).toEqual(unparsedDropped(modelled, notParsed));
  const withOutput = filesWithOutput(modelled.report);
  expect(notParsed.filter((file) => withOutput.has(file))).toEqual([]);
  return modelled.report.findings
    .filter((f) => f.rule === 'parse-error' && notParsed.includes(f.file))
    .map((f) => `${f.file}:${f.span.line}:${f.span.column}`);
}

describeWithCorpus(
  'the raw-text pre-checks change no corpus report but for YAML errors in unparsed files',
  () => {
    it('parses every bulk file with a row, a finding, a reference or a skip, and models it as before', () => {
      const { root, projects } = rebuildBulk();
      let notModelled = 0;
      let notParsed = 0;
      const dropped: string[] = [];
      for (const project of projects) {
        const run = bothWays(join(root, project), []);
        dropped.push(...expectOnlyParseErrorsDropped(run));
        notParsed += run.notParsed.length;
        notModelled += yamlFiles(join(root, project)).filter(
          (f) => !mayInvolveClaude(readFileSync(f, 'utf8')),
        ).length;
      }
      // The comparison means something only if many files take each short path.
      expect(notModelled).toBeGreaterThan(300);
      expect(notParsed).toBeGreaterThan(150);
      // The bulk corpus has no YAML error in a file that cannot involve Claude.
      expect(dropped).toEqual([]);
    });

    it('parses every file of the real corpus with a row, a finding, a reference or a skip', () => {
      const real = join(CORPUS, 'real');
      const files = readdirSync(real).filter((f) => /\.ya?ml$/.test(f));
      const run = bothWays(real, files);
      expect(expectOnlyParseErrorsDropped(run)).toEqual([]);
      expect(run.checked.report.routes.length).toBeGreaterThan(50);
    });
  },
);

/** A workflow GitHub rejects (`runs-on: a: b` is a mapping inside a compact one), plus one more step. */
function broken(step: string): string {
  return [
    'on: push',
    'jobs:',
    '  build:',
    '    runs-on: a: b',
    '    steps:',
    '      - run: make',
    step,
    '',
  ].join('\n');
}

function scanOne(text: string, options: Partial<LoadOptions> = {}): Report {
  const dir = mkdtempSync(join(tmpdir(), 'crg-precheck-'));
  writeFileSync(join(dir, 'ci.yml'), text);
  return scan(loadFiles(['ci.yml'], { cwd: dir, ...options }, []));
}

const PARSE_ERROR = {
  rule: 'parse-error',
  file: 'ci.yml',
  span: { line: 4, column: 14, endLine: 4, endColumn: 15 },
};

describe('a file whose text cannot involve Claude is not parsed', () => {
  it('so its YAML error is not reported, and the summary line and stats.notParsed count it', () => {
    // Before this, the same file gave a parse-error at 4:14; it names nothing that could reach Claude.
    const report = scanOne(broken('      - run: echo done'));
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ routes: [], skipped: [], unresolved: [], files: 1, notParsed: 1 });
    expect(JSON.parse(formatJson(report)).stats).toEqual({ files: 1, notParsed: 1 });
    expect(formatText(report, () => undefined).split('\n')[0]).toBe(
      'No Claude Code runs in 1 file scanned; 1 could not involve Claude and was not parsed.',
    );
  });

  it('while the same error next to any word the proof looks for is a parse-error at its place', () => {
    const triggers: [string, string][] = [
      ['Claude', '      - run: npx @anthropic-ai/Claude-code -p hi'],
      ['Anthropic', '      - run: echo ANTHROPIC'],
      ['a secret', '      - run: echo ${{ SECRETS.TOKEN }}'],
      ['secrets: inherit', '      - run: echo inherit'],
      ['a local uses:', '      - uses: ./.github/actions/build'],
      ['a script', '      - run: scripts/build.sh'],
      ['an install', '      - run: npm ci'],
      ['another repository’s workflow', '      - run: echo o/r/.github/workflows/x.yml'],
      ['an escaped word', '      - run: "echo \\x63laude"'],
      ['an escaped line break', '      - run: "echo cla\\\n          ude"'],
      ['an alias of a path', '      - uses: *local\n      - run: echo &local ./x'],
      ['a key with a comment', '      - ? uses # the shared build\n        : ./build'],
    ];
    for (const [why, step] of triggers)
      expect({ why, findings: scanOne(broken(step)).findings }).toEqual({
        why,
        findings: [expect.objectContaining(PARSE_ERROR)],
      });
  });

  it('nor when the file names a switch or credential variable of the route vocabulary, in any case', () => {
    const names = [
      ...PRECEDENCE,
      ...CLAUDE_CREDENTIALS,
      ...officialInputs()
        .filter(([, input]) => input.effect === 'credential' || input.effect === 'switch')
        .map(([name]) => name),
    ].filter((name) => /^\w+$/.test(name));
    expect(names).toEqual(expect.arrayContaining(['apiKeyHelper', 'use_bedrock', 'CLAUDE_CODE_USE_MANTLE']));
    for (const name of names)
      for (const spelt of [name, name.toLowerCase()])
        expect({ spelt, findings: scanOne(broken(`      - with: { ${spelt}: x }`)).findings }).toEqual({
          spelt,
          findings: [expect.objectContaining(PARSE_ERROR)],
        });
  });

  it('nor when it names the repository scanned, or, with remote callees read, an input or an AI reviewer', () => {
    const own = broken('      - uses: acme/tools/build@v1');
    expect(scanOne(own).findings).toEqual([]);
    expect(scanOne(own, { repoName: 'Acme/Tools' }).findings).toEqual([expect.objectContaining(PARSE_ERROR)]);
    for (const step of ['      - uses: acme/ai-review@v1', '      - run: echo ${{ inputs.x }}']) {
      expect(scanOne(broken(step)).findings).toEqual([]);
      expect(scanOne(broken(step), { remote: () => undefined }).findings).toEqual([
        expect.objectContaining(PARSE_ERROR),
      ]);
    }
  });

  it('and is parsed when its text does not prove it a workflow or action, so a skip is still listed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-precheck-'));
    const files: Record<string, string> = {
      'list.yml': '- on: push\n- jobs: {}\n',
      'config.yml': 'rules:\n  jobs: 3\n',
      'scalar.yml': '|\non: push\njobs: {}\n',
      'yaml11.yml': '%YAML 1.1\n---\non: push\nname: x\n',
      'indented.yml': '  on: push\n  jobs: {}\n',
      'workflow.yml': '# CI\n---\non: push\njobs: {}\n',
      'action.yml': 'name: x\nruns:\n  using: node20\n  main: index.js\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const run = bothWays(dir, ['.']);
    expectOnlyParseErrorsDropped(run);
    expect(run.notParsed.sort()).toEqual(['action.yml', 'workflow.yml']);
    // YAML 1.1 reads `on` as true, so that file is neither; an indented mapping is a workflow, parsed.
    expect(run.checked.report.skipped.map((s) => s.file).sort()).toEqual([
      'config.yml',
      'list.yml',
      'scalar.yml',
      'yaml11.yml',
    ]);
  });
});

describe('the raw-text pre-check', () => {
  it('models files whose Claude words are spelt with YAML escapes, or that expand through aliases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-precheck-'));
    const escaped = [
      'on: push',
      'jobs:',
      '  review:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: "clau\\',
      '          de -p hi"',
      '        env:',
      '          "\\x41NTHROPIC_API_KEY": ${{ secrets.KEY }}',
      '      - uses: "\\x2e/missing-action"',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'escaped.yml'), escaped);
    const steps = Array.from({ length: 300 }, (_, i) => `  - run: echo "${i}"`).join('\n');
    const jobs = Array.from({ length: 300 }, (_, i) => `  j${i}:\n    runs-on: x\n    steps: *s`).join('\n');
    writeFileSync(join(dir, 'fanout.yml'), `on: push\nsteps_def: &s\n${steps}\njobs:\n${jobs}\n`);
    expect(mayInvolveClaude(escaped)).toBe(false);
    const run = bothWays(dir, ['escaped.yml', 'fanout.yml']);
    // The fan-out names nothing that could reach Claude, so it is not parsed: the alias expansion over
    // the model's budget, a parse-error when every file is modelled, is never made.
    expect(expectOnlyParseErrorsDropped(run)).toEqual(['fanout.yml:1:1']);
    expect(run.notParsed).toEqual(['fanout.yml']);
    const { report } = run.checked;
    expect(report.routes).toEqual([
      expect.objectContaining({ file: 'escaped.yml', line: 6, column: 15, route: 'api-key' }),
    ]);
    expect(report.unresolved).toEqual([
      expect.objectContaining({ file: 'escaped.yml', line: 10, column: 15 }),
    ]);
    expect(report.findings.filter((f) => f.file === 'fanout.yml')).toEqual([]);
  });

  it('reads a line of comment or tag characters after `uses:` once, not in every way it could be split', () => {
    // Each of these took time exponential in its length before: 40 characters ran for hours.
    for (const after of ['#'.repeat(5000), `${'!'.repeat(5000)} x`, '&a'.repeat(2500)])
      expect(mayInvolveClaude(`on: push\njobs:\n  a:\n    steps:\n      - uses: ${after}\n`)).toBe(false);
  });
});

describe('the pre-check keeps', () => {
  it('another repository’s reusable workflow (listed as not followed) and this repository in remote form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-precheck-'));
    mkdirSync(join(dir, '.github', 'actions', 'review'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'actions', 'review', 'action.yml'),
      'runs:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n',
    );
    const lint = 'on: push\njobs:\n  lint:\n    uses: octo/shared/.github/workflows/lint.yml@v1\n';
    const own = [
      'on: push',
      'jobs:',
      '  wrapped:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: acme/tools/.github/actions/review@main',
      '        env:',
      '          KEY: ${{ secrets.KEY }}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'lint.yml'), lint);
    writeFileSync(join(dir, 'own.yml'), own);
    expect(mayInvolveClaude(lint)).toBe(true);
    expect(mayInvolveClaude(own)).toBe(false);
    expect(mayInvolveClaude(own, 'acme/tools')).toBe(true);
    const run = bothWays(dir, ['lint.yml', 'own.yml'], { repoName: 'acme/tools' });
    expectOnlyParseErrorsDropped(run);
    expect(run.notParsed).toEqual([]);
    const { report } = run.checked;
    expect(report.unresolved.map((u) => [u.file, u.line, u.column])).toEqual([['lint.yml', 4, 11]]);
    expect(report.routes.map((r) => [r.file, r.job, r.line, r.column])).toEqual([
      ['own.yml', 'wrapped', 6, 15],
    ]);
  });
});

describe('the pre-check models', () => {
  it('a job that installs from a manifest declaring the Agent SDK, with no Claude word in the workflow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-precheck-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      '{ "dependencies": { "@anthropic-ai/claude-agent-sdk": "^0.1.0" } }\n',
    );
    // The file the step runs imports the SDK: a manifest alone makes no run.
    writeFileSync(
      join(dir, 'index.js'),
      "import { query } from '@anthropic-ai/claude-agent-sdk';\nawait query({ prompt: 'hi' });\n",
    );
    const agent = [
      'on: push',
      'jobs:',
      '  agent:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: npm ci',
      '      - run: node index.js',
      '',
    ].join('\n');
    writeFileSync(join(dir, '.github', 'workflows', 'agent.yml'), agent);
    expect(mayInvolveClaude(agent)).toBe(true);
    const run = bothWays(dir, []);
    expectOnlyParseErrorsDropped(run);
    expect(run.checked.report.routes).toEqual([
      expect.objectContaining({
        file: '.github/workflows/agent.yml',
        line: 7,
        column: 14,
        invocation: 'agent-sdk',
      }),
    ]);
  });

  it('a local `uses:` however YAML lets its value start, and not a `./` that only runs a program', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-precheck-'));
    const uses = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: &a >-',
      '          ./missing/folded',
      '      - "uses": # the shared setup',
      '          # kept in this repository',
      "          './missing/after-comments'",
      '      - "us\\x65s": ./missing/escaped-key',
      '      - ? uses # a key written out',
      '        : ./missing/explicit-key',
      '      - run: ./gradlew build',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'uses.yml'), uses);
    const gradle = 'on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: ./gradlew build\n';
    writeFileSync(join(dir, 'gradle.yml'), gradle);
    expect(mayInvolveClaude(uses)).toBe(true);
    expect(mayInvolveClaude(uses.replace(/\.\/missing/g, 'missing'))).toBe(false);
    expect(mayInvolveClaude(gradle)).toBe(false);
    const run = bothWays(dir, ['uses.yml', 'gradle.yml']);
    expectOnlyParseErrorsDropped(run);
    expect(run.notParsed).toEqual(['gradle.yml']);
    expect(run.checked.report.unresolved.map((u) => [u.file, u.line, u.column])).toEqual([
      ['uses.yml', 6, 18],
      ['uses.yml', 10, 11],
      ['uses.yml', 11, 20],
      ['uses.yml', 13, 11],
    ]);
  });
});
