import { describe, expect, it } from '@jest/globals';
import { rowOf, scanBehaviour } from './behaviour.js';

/** A headless run with no credential in reach: the stored login pays, and the run is found where it starts. */
function expectRun(workflow: string, job: string, line: number, column: number): void {
  expect(rowOf(scanBehaviour(workflow), job)).toMatchObject({
    label: 'claude -p',
    line,
    column,
    route: 'subscription-login',
    credential: null,
    verdict: 'error: headless-without-api-route',
  });
}

describe('bash spellings of claude are runs, in files that never spell the word plainly', () => {
  it.each([
    ['empty-quotes', "cl''aude", 7],
    ['backslash', 'c\\laude', 11],
    ['double-quotes', 'cla""ude', 15],
    ['ansi-c', "$'cla''ude'", 19],
  ])('%s: `%s -p` is claude -p', (job, _spelling, line) => {
    expectRun('spelt-runs.yml', job, line, 14);
  });

  it.each([
    ['hex', "$'\\x63laude'", 7],
    ['octal', "$'\\143l\\141ude'", 11],
  ])("%s: `%s -p`, a letter spelt by its code in $'...', is claude -p", (job, _spelling, line) => {
    expectRun('spelt-escape.yml', job, line, 14);
  });
});

describe('wrappers and defaults in front of claude', () => {
  it.each([
    ['defaulted', '${CLAUDE:-claude}, whose variable the script never sets', 7, 14],
    ['setsid', 'setsid', 11, 21],
    ['flock', 'flock /tmp/review.lock', 15, 37],
    ['flock-command', "flock -w 60 /tmp/review.lock -c '...'", 19, 47],
    ['chrt', 'chrt -f 10', 23, 25],
    ['ionice', 'ionice -c 3', 27, 26],
    ['doas', 'doas -u runner', 31, 29],
    ['su', "su runner -c '...'", 35, 28],
    ['busybox', "busybox sh -c '...'", 39, 29],
    ['watch', 'watch -n 600', 43, 27],
    ['dbus', 'dbus-run-session --', 47, 34],
    ['coproc', 'coproc REVIEW { ... }', 51, 30],
    ['ansi-c', "$'claude'", 55, 14],
  ])('%s: claude -p behind `%s` is a run', (job, _wrapper, line, column) => {
    expectRun('wrapped-runs.yml', job, line, column);
  });

  it('${CLAUDE:-claude} after CLAUDE=echo runs echo, not Claude', () => {
    expect(scanBehaviour('wrapped-runs.yml').routes.filter((r) => r.job === 'defaulted-set')).toEqual([]);
  });
});

describe('programs that start claude from text they are handed', () => {
  it.each([
    ['piped', "echo '...' | sh: the shell runs what it reads from the pipe", 6, 19, 'claude -p'],
    ['chroot', 'sudo chroot --userspec=U:G NEWROOT', 18, 53, '/usr/local/bin/claude -p'],
    ['windows-upper', 'CLAUDE on a Windows runner, whose names are case-insensitive', 23, 14, 'claude -p'],
    [
      'formatted',
      "${{ format('{0}{1}', 'cla', 'ude') }}, which the runner fills in first",
      35,
      14,
      'claude -p',
    ],
    ['matrix-tool', '${{ matrix.tool }}, a matrix value the files fix', 42, 14, 'claude -p'],
  ])('%s: %s is a run', (job, _how, line, column, label) => {
    expect(rowOf(scanBehaviour('spelt-elsewhere.yml'), job)).toMatchObject({
      label,
      line,
      column,
      route: 'subscription-login',
      credential: null,
      verdict: 'error: headless-without-api-route',
    });
  });

  it.each([
    ['perl', 'perl -e \'exec "claude", ...\'', 10, 29],
    ['ruby', 'ruby -e \'system("claude", ...)\'', 14, 31],
  ])('%s: %s is a run whose environment that code may change first', (job, _how, line, column) => {
    expect(rowOf(scanBehaviour('spelt-elsewhere.yml'), job)).toMatchObject({
      label: 'claude',
      line,
      column,
      route: 'unknown',
      outcomes: ['unknown'],
    });
  });

  it('CLAUDE on Linux and a pipe into a program that is no shell start nothing', () => {
    const jobs = scanBehaviour('spelt-elsewhere.yml').routes.map((r) => r.job);
    expect(jobs).not.toContain('linux-upper');
    expect(jobs).not.toContain('piped-data');
  });
});
