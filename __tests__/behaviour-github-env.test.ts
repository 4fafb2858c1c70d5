import { describe, expect, it } from '@jest/globals';
import type { Report } from '../src/scan.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowOf, scanBehaviour } from './behaviour.js';
import { scanAt } from './helpers.js';

describe('$GITHUB_ENV: what adds to the file and what starts it over', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('ghenv-append.yml');
  const claude = (job: string): ReturnType<typeof rowOf> => rowOf(report(), job, 'step 2');

  it.each([
    ['tee-a', 'tee -a', 8],
    ['tee-ia', 'tee -ia', 15],
    ['tee-ai', 'tee -ai', 22],
    ['tee-append', 'tee --append', 29],
    ['tee-a-and-log', 'tee -a $GITHUB_ENV /dev/stderr', 36],
    ['tee-app', 'tee --app (GNU takes any unique prefix of --append)', 83],
    ['tee-a-long', 'tee --a', 90],
    ['both-streams-append', '&>>', 97],
    ['stdout-by-number', '1>>, with no space before the file', 104],
    ['tee-process', '> >(tee -a ...), a process substitution', 111],
    ['tee-into-cat', 'tee >(cat >> ...): tee empties only the pipe', 118],
  ])('%s: a token written with `%s` adds to the key written before, which wins', (job, _tee, line) => {
    const row = claude(job);
    expect(row).toMatchObject({ route: 'api-key', certainty: 'known' });
    expect(row.credential).toMatchObject({
      variable: 'ANTHROPIC_API_KEY',
      level: 'github-env',
      source: 'secrets.EARLIER_KEY',
      line,
      column: 17,
    });
    expect(row.shadowed).toEqual([
      expect.objectContaining({
        variable: 'CLAUDE_CODE_OAUTH_TOKEN',
        source: 'secrets.TOKEN',
        line: line + 1,
        column: 17,
      }),
    ]);
    expect(row.verdict).toBe('warning: shadowed-credential');
  });

  it.each([
    ['tee', 'tee $GITHUB_ENV', 44],
    ['tee-and-copy', 'tee $GITHUB_ENV $RUNNER_TEMP/saved-vars (a file name with a dash is no option)', 51],
    ['redirect-quiet', '> $GITHUB_ENV 2> /dev/null', 58],
    ['both-streams', '&>', 126],
    ['clobber', '>|', 133],
    ['both-streams-dup', '>& (a file, not a descriptor)', 140],
    ['tee-process-over', '> >(cat > ...)', 147],
    ['tee-dashes', 'tee -- (no --append)', 171],
  ])('%s: `%s` starts the file over, so only the token is left', (job, _write, line) => {
    const row = claude(job);
    expect(row).toMatchObject({ route: 'subscription-oauth-token', certainty: 'known', shadowed: [] });
    expect(row.credential).toMatchObject({
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      level: 'github-env',
      source: 'secrets.TOKEN',
      line,
      column: 17,
    });
    expect(row.verdict).toBe('error: subscription-token-in-ci');
  });

  it('reading the file, or piping into a command that only reads it, hands nothing on', () => {
    // grep -f - "$GITHUB_ENV", echo ... < "$GITHUB_ENV", ENV_FILE="$GITHUB_ENV" tee notes.txt, a pipe into { }.
    const row = claude('reads');
    expect(row).toMatchObject({ route: 'subscription-login', credential: null, shadowed: [] });
    expect(row.verdict).toBe('error: headless-without-api-route');
  });

  it('`2> $GITHUB_ENV` empties the file and writes none of what echo prints into it', () => {
    const row = claude('stderr-empties');
    expect(row).toMatchObject({ route: 'subscription-login', credential: null, shadowed: [] });
    expect(row.verdict).toBe('error: headless-without-api-route');
  });

  it('output sent elsewhere by a later redirect, by 2>>, or away from a pipe adds nothing to the file', () => {
    // `>> "$GITHUB_ENV" > /dev/null`, `2>> "$GITHUB_ENV"`, `> /dev/null | tee -a "$GITHUB_ENV"`; and
    // `grep ... < "$GITHUB_ENV"` only reads it.
    const row = claude('stdout-elsewhere');
    expect(row).toMatchObject({ route: 'api-key', certainty: 'known', shadowed: [] });
    expect(row.credential).toMatchObject({ source: 'secrets.EARLIER_KEY', line: 160, column: 17 });
  });

  it('a `>>` whose file went onto the next line writes nothing (bash stops at the syntax error)', () => {
    const row = claude('cut-off');
    expect(row).toMatchObject({ route: 'subscription-login', credential: null, line: 78, column: 14 });
  });
});

describe('$GITHUB_ENV: which written lines set a variable, as the runner reads them', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('ghenv-lines.yml');
  const claude = (job: string): ReturnType<typeof rowOf> => rowOf(report(), job, 'step 2');

  it.each([
    [
      'export-beside',
      'an export in the group that writes the file stays in its own step',
      'GROUPED_KEY',
      10,
      19,
    ],
    ['sudo-echo', 'sudo echo writes its words like echo', 'SUDO_KEY', 16, 25],
    ['echo-ne', 'echo -ne writes its words, not the option', 'NE_KEY', 21, 24],
    ['blank-line-first', 'a bare echo adds a blank line, which sets nothing', 'AFTER_BLANK', 28, 17],
    [
      'value-with-shift',
      'a value holding << (std::cout<<endl) is a NAME=value line, not the start of a block',
      'AFTER_SHIFT',
      73,
      19,
    ],
    [
      'printf-value',
      "printf 'ANTHROPIC_API_KEY=%s\\n' puts the argument in the line",
      'PRINTF_VALUE',
      79,
      22,
    ],
    [
      'printf-pair',
      'printf "%s=%s\\n" NAME value takes the name from an argument too',
      'PRINTF_PAIR',
      84,
      31,
    ],
    ['printf-lines', "printf '%s\\n' writes one line per argument", 'PRINTF_LINES', 89, 63],
    [
      'printf-reused',
      'printf uses its format again for the arguments left, after an empty token',
      'PRINTF_REUSED',
      94,
      58,
    ],
    ['printf-block', 'printf writes a NAME<<EOF block from its format', 'PRINTF_BLOCK', 99, 22],
    ['bin-echo', '/bin/echo is echo', 'BIN_ECHO', 104, 25],
    ['usr-bin-echo', '/usr/bin/echo is echo', 'USR_BIN_ECHO', 109, 29],
    ['command-echo', 'command echo is echo', 'COMMAND_ECHO', 114, 28],
    ['builtin-echo', 'builtin echo is echo', 'BUILTIN_ECHO', 119, 28],
    [
      'printf-percent',
      'printf with no format writes nothing, %s without an argument is empty, and %% takes none',
      'AFTER_PERCENT',
      175,
      18,
    ],
    ['echo-e-lines', 'echo -e writes a line for each \\n', 'ECHO_E_LINES', 180, 22],
    [
      'braced-delimiter',
      'a block opened with <<${DELIM} closes at "$DELIM", and the line after it sets the key again',
      'BRACED_DELIMITER',
      155,
      19,
    ],
    [
      'computed-delimiter',
      'a block whose delimiter bash computes (<<$END) may close at run time, so it keeps its value',
      'COMPUTED_DELIMITER',
      164,
      19,
    ],
  ])('%s: %s', (job, _what, secret, line, column) => {
    const row = claude(job);
    expect(row).toMatchObject({ route: 'api-key', certainty: 'known', shadowed: [] });
    expect(row.credential).toMatchObject({
      variable: 'ANTHROPIC_API_KEY',
      level: 'github-env',
      source: `secrets.${secret}`,
      line,
      column,
    });
  });

  it('a token on the third line of a heredoc is placed on that line, in the finding too', () => {
    const r = report();
    const row = rowOf(r, 'heredoc-third-line', 'step 2');
    expect(row).toMatchObject({ route: 'subscription-oauth-token', line: 39, column: 14 });
    expect(row.credential).toMatchObject({
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      source: 'secrets.TEAM_TOKEN',
      line: 37,
      column: 11,
    });
    const finding = r.findings.find(
      (f) => f.rule === 'subscription-token-in-ci' && f.message.includes('`heredoc-third-line`'),
    );
    // The whole line `CLAUDE_CODE_OAUTH_TOKEN=${{ secrets.TEAM_TOKEN }}`: 49 characters from column 11.
    expect(finding?.span).toEqual({ line: 37, column: 11, endLine: 37, endColumn: 60 });
  });

  it.each([
    ['spaced-equals', 'ANTHROPIC_API_KEY = value names a variable "ANTHROPIC_API_KEY "'],
    ['export-line', 'export ANTHROPIC_API_KEY=value names a variable "export ANTHROPIC_API_KEY"'],
    [
      'delimiter-comment',
      'ANTHROPIC_API_KEY<<EOF # comment waits for a line "EOF # comment" that never comes',
    ],
    ['printf-to-variable', 'printf -v sets a shell variable and writes nothing'],
  ])('%s: %s, so Claude sees no key', (job) => {
    const row = claude(job);
    expect(row).toMatchObject({ route: 'subscription-login', credential: null, shadowed: [] });
    expect(row.verdict).toBe('error: headless-without-api-route');
  });

  it('printf -- takes the word after -- as its format, so the key is emptied and the token pays', () => {
    const row = claude('printf-dashes');
    expect(row).toMatchObject({ route: 'subscription-oauth-token', certainty: 'known', shadowed: [] });
    expect(row.credential).toMatchObject({
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      level: 'github-env',
      source: 'secrets.DASHES_TOKEN',
      line: 197,
      column: 50,
    });
    expect(row.verdict).toBe('error: subscription-token-in-ci');
  });

  it('a NAME<<EOF block that never closes sets nothing (the runner fails the step), and does not stop the scan', () => {
    expect(claude('unterminated')).toMatchObject({
      label: 'claude -p',
      line: 66,
      column: 14,
      route: 'subscription-login',
      credential: null,
      reason:
        '`ANTHROPIC_API_KEY<<EOF` at line 64 of .github/workflows/ghenv-lines.yml never closes in $GITHUB_ENV: ' +
        'the runner fails that step ("Matching delimiter not found") and sets nothing from that line on',
    });
  });

  it('a block that never closes drops itself and every line after it, and keeps the lines before it', () => {
    // The token's block takes CLAUDE_CODE_USE_BEDROCK=1 with it: neither a token nor Bedrock.
    const row = claude('unclosed-after-key');
    expect(row).toMatchObject({
      route: 'api-key',
      certainty: 'known',
      outcomes: ['api-key'],
      shadowed: [],
      reason: expect.stringMatching(/^`CLAUDE_CODE_OAUTH_TOKEN<<EOF` at line 142 of .* never closes/),
    });
    expect(row.credential).toMatchObject({ source: 'secrets.BEFORE_BLOCK', line: 141, column: 17 });
  });

  it.each([
    [
      'printf-quoted',
      "printf 'ANTHROPIC_API_KEY=%q\\n'",
      ['api-key', 'subscription-login'],
      'ANTHROPIC_API_KEY is formatted by printf at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
      124,
    ],
    [
      'printf-number',
      "printf 'CLAUDE_CODE_USE_BEDROCK=%d\\n'",
      ['bedrock', 'subscription-login'],
      'CLAUDE_CODE_USE_BEDROCK comes from an expression, decided at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
      129,
    ],
    [
      'printf-width',
      "printf 'ANTHROPIC_API_KEY=%-60s\\n'",
      ['api-key', 'subscription-login'],
      'ANTHROPIC_API_KEY is formatted by printf at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
      185,
    ],
    [
      'printf-crlf',
      "printf 'ANTHROPIC_API_KEY=%s\\r\\n' (the runner keeps the \\r in the value)",
      ['api-key', 'subscription-login'],
      'ANTHROPIC_API_KEY is formatted by printf at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
      190,
    ],
  ])(
    '%s: `%s` is formatted at run time, never read as a literal %%q, %%d or %%-60s',
    (job, _format, outcomes, reason, line) => {
      const row = claude(job);
      expect(row).toMatchObject({ route: 'unknown', certainty: 'unknown', outcomes, reason });
      expect(row.credential).toMatchObject({ level: 'github-env', line, column: 22 });
    },
  );
});

describe('$GITHUB_ENV: one printf is read for at most 64 KB beyond its own words', () => {
  /** The route of `claude -p` after a step that runs `printf ARGS >> "$GITHUB_ENV"`. */
  function after(args: string): ReturnType<typeof rowOf> {
    const dir = mkdtempSync(join(tmpdir(), 'crg-printf-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'workflows', 'a.yml'),
      'on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n' +
        `      - run: printf ${args} >> "$GITHUB_ENV"\n      - run: claude -p hi\n`,
    );
    return rowOf(scanAt(dir, ['.github/workflows/a.yml']), 'j', 'step 2');
  }
  const ks = (n: number): string => Array(n).fill('k').join(' ');
  const atRunTime = {
    route: 'unknown',
    certainty: 'unknown',
    outcomes: ['api-key', 'subscription-login'],
    reason:
      'ANTHROPIC_API_KEY is formatted by printf at run time; when it is empty, a stored subscription login is used',
  };

  it('3,400 lines of 20 characters, and one line exactly at the budget, are read as written', () => {
    expect(after(`'ANTHROPIC_API_KEY=%s\\n' ${ks(3400)}`)).toMatchObject({
      route: 'api-key',
      certainty: 'known',
    });
    // 3,122 lines of 22 characters end exactly at 64 KB plus the 3,148 characters of the words.
    expect(after(`-- 'ANTHROPIC_API_KEY=sk%s\\n' ${ks(3122)}`)).toMatchObject({
      route: 'api-key',
      certainty: 'known',
    });
  });

  it('past the budget, the variable the format names is formatted at run time', () => {
    expect(after(`'ANTHROPIC_API_KEY=%s\\n' ${ks(10000)}`)).toMatchObject(atRunTime);
    expect(after(`-- 'ANTHROPIC_API_KEY=sk%s\\n' ${ks(3123)}`)).toMatchObject(atRunTime);
  });
});
