import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mayInvolveClaude } from '../src/claude/precheck.js';
import { loadFiles, type LoadProblem } from '../src/load.js';
import { scan } from '../src/scan.js';
import { describeWithCorpus, rebuildBulk } from './corpus.js';
import { CORPUS } from './helpers.js';

/** The whole report, as the JSON output carries it, with and without the raw-text pre-check. */
function bothWays(cwd: string, paths: string[]): { checked: string; modelled: string } {
  const run = (modelEveryFile: boolean): string => {
    const problems: LoadProblem[] = [];
    const report = scan(loadFiles(paths, { cwd }, problems), undefined, { modelEveryFile });
    return JSON.stringify({ report, problems }, null, 1);
  };
  return { checked: run(false), modelled: run(true) };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describeWithCorpus('the raw-text pre-check changes nothing in any corpus report', () => {
  it('gives the same output, byte for byte, on every file of the bulk corpus rebuilt into its projects', () => {
    const { root, projects } = rebuildBulk();
    let inert = 0;
    for (const project of projects) {
      const { checked, modelled } = bothWays(join(root, project), []);
      expect(checked).toEqual(modelled);
      inert += yamlFiles(join(root, project)).filter(
        (f) => !mayInvolveClaude(readFileSync(f, 'utf8')),
      ).length;
    }
    // The comparison means something only if many files take the short path.
    expect(inert).toBeGreaterThan(300);
  });

  it('gives the same output, byte for byte, on every file of the real corpus', () => {
    const real = join(CORPUS, 'real');
    const files = readdirSync(real).filter((f) => /\.ya?ml$/.test(f));
    const { checked, modelled } = bothWays(real, files);
    expect(checked).toEqual(modelled);
    expect(JSON.parse(checked).report.routes.length).toBeGreaterThan(50);
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
    const { checked, modelled } = bothWays(dir, ['escaped.yml', 'fanout.yml']);
    expect(checked).toEqual(modelled);
    const report = JSON.parse(checked).report;
    expect(report.routes).toEqual([
      expect.objectContaining({ file: 'escaped.yml', line: 6, column: 15, route: 'api-key' }),
    ]);
    expect(report.unresolved).toEqual([
      expect.objectContaining({ file: 'escaped.yml', line: 10, column: 15 }),
    ]);
    expect(report.findings.filter((f: { file: string }) => f.file === 'fanout.yml')).toEqual([
      expect.objectContaining({
        file: 'fanout.yml',
        rule: 'parse-error',
        span: expect.objectContaining({ line: 1, column: 1 }),
      }),
    ]);
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
    const run = (modelEveryFile: boolean): string =>
      JSON.stringify(
        scan(loadFiles(['lint.yml', 'own.yml'], { cwd: dir, repoName: 'acme/tools' }, []), undefined, {
          modelEveryFile,
        }),
      );
    const checked = run(false);
    expect(checked).toEqual(run(true));
    const report = JSON.parse(checked) as ReturnType<typeof scan>;
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
    const { checked, modelled } = bothWays(dir, []);
    expect(checked).toEqual(modelled);
    expect(JSON.parse(checked).report.routes).toEqual([
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
      '      - run: ./gradlew build',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'uses.yml'), uses);
    const gradle = 'on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: ./gradlew build\n';
    writeFileSync(join(dir, 'gradle.yml'), gradle);
    expect(mayInvolveClaude(uses)).toBe(true);
    expect(mayInvolveClaude(uses.replace(/\.\/missing/g, 'missing'))).toBe(false);
    expect(mayInvolveClaude(gradle)).toBe(false);
    const { checked, modelled } = bothWays(dir, ['uses.yml', 'gradle.yml']);
    expect(checked).toEqual(modelled);
    const report = JSON.parse(checked).report as ReturnType<typeof scan>;
    expect(report.unresolved.map((u) => [u.file, u.line, u.column])).toEqual([
      ['uses.yml', 6, 18],
      ['uses.yml', 10, 11],
      ['uses.yml', 11, 20],
    ]);
  });
});
