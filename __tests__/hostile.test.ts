import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import { MAX_MODEL_NODES } from '../src/workflow/model.js';
import { scanAt } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'crg-hostile-'));
function write(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return name;
}
function only(name: string): { rule: string; line: number; column: number; message: string } {
  const report = scanAt(dir, [name]);
  expect(report.findings).toHaveLength(1);
  const f = report.findings[0]!;
  return { rule: f.rule, line: f.span.line, column: f.span.column, message: f.message };
}
function exitCode(args: string[]): number {
  return runCli(args, { cwd: dir, stdout: () => undefined, stderr: () => undefined }) as number;
}

const WORKFLOW = [
  'on: push',
  'jobs:',
  '  review:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: |',
  '          echo start',
  '          claude -p "go"',
  '        env:',
  '          ANTHROPIC_API_KEY: ${{ secrets.K }}',
  '',
];

describe('hostile and odd files: a finding with a position or a skip with a note, never a crash', () => {
  it('an alias bomb and an alias fan-out are bounded', () => {
    const bomb = ['on: push', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    bomb.push('jobs:', '  j:', '    runs-on: x', '    steps: *a8');
    expect(scanAt(dir, [write('bomb.yml', bomb.join('\n'))]).findings).toEqual([]);
    const steps = Array.from({ length: 300 }, (_, i) => `  - run: claude -p "${i}"`).join('\n');
    const jobs = Array.from({ length: 300 }, (_, i) => `  j${i}:\n    runs-on: x\n    steps: *s`).join('\n');
    const fanout = only(write('fanout.yml', `on: push\nsteps_def: &s\n${steps}\njobs:\n${jobs}\n`));
    expect(fanout).toMatchObject({ rule: 'parse-error', line: 1, column: 1 });
    expect(fanout.message).toContain(`more than ${MAX_MODEL_NODES} jobs and steps`);
  });

  it('a 10 MB file is reported at the size limit, which is configurable', () => {
    const jobs = (n: number): string =>
      'on: push\njobs:\n' +
      Array.from(
        { length: n },
        (_, i) => `  j${i}:\n    runs-on: x\n    steps:\n      - run: echo ${i}\n`,
      ).join('');
    const big = jobs(170000);
    expect(big.length).toBeGreaterThan(10_000_000);
    write('big.yml', big);
    expect(only('big.yml')).toMatchObject({
      rule: 'parse-error',
      line: 1,
      column: 1,
      message: expect.stringMatching(/^This file is \d+ bytes, over the size limit/),
    });
    write('small.yml', jobs(200));
    expect(scanAt(dir, ['small.yml']).findings).toEqual([]);
    let out = '';
    runCli(['small.yml', '--max-file-size', '4k', '--format', 'json'], {
      cwd: dir,
      stdout: (t) => (out += t),
      stderr: () => undefined,
    });
    expect((JSON.parse(out) as { findings: { message: string }[] }).findings[0]!.message).toMatch(
      /over the size limit/,
    );
    expect(exitCode(['small.yml', '--max-file-size', 'lots'])).toBe(2);
  });

  // These files name Claude (here in a comment) so that they are parsed: one whose text cannot involve
  // Claude is not, and its YAML errors are not reported (README, "What is not checked").
  it('10,000-deep nesting is a parse error with a position', () => {
    const f = only(
      write('deep.yml', 'on: push # Claude\njobs: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n'),
    );
    expect(f.rule).toBe('parse-error');
    expect(f.line).toBe(2);
    const map = only(
      write(
        'deepmap.yml',
        'on: push # Claude\njobs:\n' +
          Array.from({ length: 10000 }, (_, i) => ' '.repeat(i + 2) + `k${i}:`).join('\n'),
      ),
    );
    expect(map.rule).toBe('parse-error');
  });

  it('binary and non-UTF-8 bytes are named, at the first bad byte', () => {
    expect(only(write('binary.yml', Buffer.from([0x6f, 0x6e, 0x3a, 0x00, 0xff])))).toMatchObject({
      rule: 'parse-error',
      line: 1,
      column: 4,
      message: 'This file is a binary file (it holds NUL bytes), not YAML.',
    });
    const latin1 = Buffer.from('on: push\njobs:\n  caf\xe9:\n    runs-on: x\n', 'latin1');
    expect(only(write('latin1.yml', latin1))).toMatchObject({ rule: 'parse-error', line: 3, column: 6 });
  });

  it('a byte-order mark and CRLF line endings keep positions exact', () => {
    const lf = scanAt(dir, [write('lf.yml', WORKFLOW.join('\n'))]).routes[0]!;
    const bom = scanAt(dir, [write('bom.yml', '\ufeff' + WORKFLOW.join('\n'))]).routes[0]!;
    const crlf = scanAt(dir, [write('crlf.yml', WORKFLOW.join('\r\n'))]).routes[0]!;
    expect([lf.line, lf.column, lf.credential?.line, lf.credential?.column]).toEqual([8, 11, 10, 30]);
    for (const r of [bom, crlf])
      expect([r.line, r.column, r.credential?.line, r.credential?.column]).toEqual([8, 11, 10, 30]);
  });

  it('tabs, duplicate keys and several documents are parse errors at the spot', () => {
    expect(only(write('tabs.yml', 'on: push # Claude\njobs:\n\tj:\n\t\truns-on: x\n'))).toMatchObject({
      rule: 'parse-error',
      line: 3,
      column: 1,
    });
    expect(
      only(write('dup.yml', 'on: push # Claude\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n')),
    ).toMatchObject({ rule: 'parse-error', line: 5, column: 3 });
    expect(only(write('multi.yml', 'on: push # Claude\njobs: {}\n---\non: push\n'))).toMatchObject({
      rule: 'parse-error',
      line: 3,
      column: 1,
    });
  });

  it('a merge key is a parse error at the `<<` (GitHub does not merge), but not inside a matrix', () => {
    // A merge that would empty the job's key: GitHub rejects the file, so the guard must not read a merge.
    const merged =
      'on: push\nx-base: &base\n  ANTHROPIC_API_KEY: ""\njobs:\n  j:\n    runs-on: x\n    env:\n      ANTHROPIC_API_KEY: ${{ secrets.K }}\n    steps:\n      - env:\n          <<: *base\n        run: claude -p hi\n';
    expect(only(write('merge.yml', merged))).toEqual({
      rule: 'parse-error',
      line: 11,
      column: 11,
      message:
        'GitHub Actions does not support YAML merge keys (`<<:`), only anchors and aliases: write the merged keys out, or alias the whole mapping. Fix the YAML; GitHub will reject this file too.',
    });
    // A quoted "<<" is an ordinary key, and a matrix takes any key as data: neither is a merge.
    const data =
      'on: push\njobs:\n  j:\n    runs-on: x\n    strategy:\n      matrix:\n        include:\n          - <<: { a: 1 }\n    steps:\n      - env:\n          "<<": x\n        run: echo claude\n';
    expect(scanAt(dir, [write('data.yml', data)]).findings.filter((f) => f.rule === 'parse-error')).toEqual(
      [],
    );
  });

  it('a JSON-syntax workflow is read like any other, with exact positions', () => {
    const json =
      '{\n  "on": "push",\n  "jobs": {\n    "a": {\n      "runs-on": "x",\n      "steps": [{ "run": "claude -p hi", "env": { "ANTHROPIC_API_KEY": "${{ secrets.K }}" } }]\n    }\n  }\n}\n';
    const row = scanAt(dir, [write('workflow.json.yml', json)]).routes[0]!;
    expect([row.route, row.line, row.column, row.credential?.line, row.credential?.column]).toEqual([
      'api-key',
      6,
      27,
      6,
      72,
    ]);
  });

  it('an empty file is an error when named, a skip with a note in a folder', () => {
    expect(only(write('empty.yml', ''))).toMatchObject({ rule: 'parse-error', line: 1, column: 1 });
    const folder = join(dir, 'walk');
    mkdirSync(folder);
    writeFileSync(join(folder, 'empty.yml'), '');
    const report = scanAt(dir, ['walk']);
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([{ file: 'walk/empty.yml', reason: 'not a YAML mapping' }]);
  });

  it('a folder named like a file, a FIFO, a symlink loop and a link out of the tree are not followed', () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'odd.yml'), { recursive: true });
    writeFileSync(join(tree, 'odd.yml', 'inner.yml'), WORKFLOW.join('\n'));
    execFileSync('mkfifo', [join(tree, 'pipe.yml')]);
    symlinkSync(tree, join(tree, 'loop'));
    symlinkSync('/etc/hostname', join(tree, 'outside.yml'));
    const report = scanAt(dir, ['tree']);
    expect(report.routes.map((r) => r.file)).toEqual(['tree/odd.yml/inner.yml']);
    expect(report.problems.map((p) => [p.file, p.message])).toEqual([
      ['tree/loop', 'symbolic link not followed'],
      ['tree/outside.yml', 'symbolic link not followed'],
      // A folder with no .github or .git is not read as a repository, and the scan says so.
      [
        'tree',
        "warning: this folder holds no .github or .git, so it was not read as a repository: all 1 YAML file(s) under it were scanned as workflows or actions wherever they lie, while GitHub runs only .github/workflows; name a repository's root folder to scan it as GitHub does",
      ],
    ]);
    const fifo = scanAt(dir, ['tree/pipe.yml']);
    expect(fifo.problems).toEqual([{ file: 'tree/pipe.yml', message: 'not a regular file, skipped' }]);
  });

  it('exits 2 only for usage errors, never for bad files', () => {
    // Its own files: the outcome must not depend on which tests ran before this one.
    const own = mkdtempSync(join(tmpdir(), 'crg-exit-'));
    writeFileSync(join(own, 'binary.yml'), Buffer.from([0x6f, 0x6e, 0x3a, 0x00, 0xff]));
    writeFileSync(join(own, 'tabs.yml'), 'on: push\njobs:\n\tj:\n\t\truns-on: x\n');
    writeFileSync(join(own, 'empty.yml'), '');
    const good = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';
    mkdirSync(join(own, 'tree'));
    symlinkSync(join(own, 'tree'), join(own, 'tree', 'loop'));
    writeFileSync(join(own, 'tree', 'good.yml'), good);
    mkdirSync(join(own, 'only-loop'));
    symlinkSync(join(own, 'only-loop'), join(own, 'only-loop', 'loop'));
    writeFileSync(join(own, 'good.yml'), good);
    const exit = (args: string[]): { code: number; err: string } => {
      let err = '';
      const code = runCli(args, { cwd: own, stdout: () => undefined, stderr: (t) => (err += t) }) as number;
      return { code, err };
    };
    const bad = ['binary.yml', 'tabs.yml', 'empty.yml', 'tree'];
    // Bad files are parse errors, which fail at the default level, and pass when nothing fails.
    expect(exit(bad).code).toBe(1);
    expect(exit([...bad, '--fail-on', 'never']).code).toBe(0);
    expect(exit(['good.yml', 'tree']).code).toBe(0);
    // A folder with nothing to scan but a link is a usage error, saying why it held nothing.
    expect(exit(['only-loop'])).toEqual({
      code: 2,
      err:
        'claude-route-guard: only-loop/loop: symbolic link not followed' +
        'claude-route-guard: no .yml or .yaml files under only-loop; name a workflow file or a folder holding one',
    });
    const missing = exit(['missing.yml']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing\.yml/);
    expect(missing.err).not.toMatch(/\n\s+at /);
  });
});

describe('positions on CRLF lines (found by the property test)', () => {
  it('never put a column on the invisible carriage return', async () => {
    const { SourceFile } = await import('../src/workflow/source.js');
    const source = new SourceFile('f.yml', 'ab\r\ncd\r\n');
    expect(source.position(2)).toEqual({ line: 1, column: 3 });
    expect(source.position(3)).toEqual({ line: 1, column: 3 });
    expect(source.span(0, 3)).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 3 });
  });
});
