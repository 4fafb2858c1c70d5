/**
 * The PowerShell reader (src/shell/powershell.ts): statements, quotes, here-strings, comments and nesting,
 * with exact offsets; what a command means is the bash reader's meaning (claude/commands.ts). And a
 * no-crash fuzz on random and hostile text, its work counted through src/meter.ts.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { meaningOf } from '../src/claude/commands.js';
import { takeWork } from '../src/meter.js';
import { parsePowerShell, type PsItem } from '../src/shell/powershell.js';

/** Each item as a line: a command's words (with the offset of its first), an assignment, a variable. */
function read(script: string): string[] {
  return parsePowerShell(script).items.map(shown);
}

function shown(item: PsItem): string {
  if (item.kind === 'command')
    return `${item.command.words[0]!.start} ${item.command.nested ? 'nested ' : ''}${item.command.pipedIn ? '| ' : ''}${item.command.words.map((w) => w.text).join(' ')}`;
  if (item.kind === 'variable') return `${item.start} $${item.name} = ${item.value}`;
  if (item.kind === 'env-computed') return `${item.start} env computed${item.removes ? ' (removes)' : ''}`;
  return `${item.start} env ${item.name} = ${item.value ? JSON.stringify(item.value.text) : 'computed'}${item.verbatim ? ' verbatim' : ''}`;
}

function runs(script: string): { start: number; headless: boolean }[] {
  return parsePowerShell(script).items.flatMap((item) => {
    if (item.kind !== 'command') return [];
    const m = meaningOf(item.command);
    return m.kind === 'claude-run' ? [{ start: m.program.start, headless: m.headless }] : [];
  });
}

describe('PowerShell reader', () => {
  it('splits statements on line breaks, `;`, `|`, `&&` and `||`, with exact offsets', () => {
    const script = 'npm ci; claude -p "a" | Out-File x.md\ngit pull && claude --print b || exit 1';
    expect(read(script)).toEqual([
      '0 npm ci',
      '8 claude -p a',
      '24 | Out-File x.md',
      '38 git pull',
      '50 claude --print b',
    ]);
  });

  it('reads `$env:NAME` as a variable, and its assignments with their values and positions', () => {
    const script = [
      'if (-not $env:ANTHROPIC_API_KEY) { throw "missing" }',
      "$env:ANTHROPIC_API_KEY = '${{ secrets.KEY }}'",
      '${env:CLAUDE_CODE_OAUTH_TOKEN}=$null',
      '$env:ANTHROPIC_AUTH_TOKEN = ""',
      '$env:ANTHROPIC_BASE_URL = $env:GATEWAY_URL',
      '$env:ANTHROPIC_MODEL = (Get-Model)',
      "$cl = 'claude'",
    ].join('\n');
    expect(read(script)).toEqual([
      '53 env ANTHROPIC_API_KEY = "${{ secrets.KEY }}" verbatim',
      '99 env CLAUDE_CODE_OAUTH_TOKEN = "$null"',
      '136 env ANTHROPIC_AUTH_TOKEN = ""',
      '167 env ANTHROPIC_BASE_URL = "$env:GATEWAY_URL"',
      '210 env ANTHROPIC_MODEL = computed',
      '234 nested Get-Model',
      '245 $cl = claude',
    ]);
    const assignment = parsePowerShell(script).items[0]!;
    expect(assignment.kind === 'env-assignment' && [assignment.target.start, assignment.target.end]).toEqual([
      53, 75,
    ]);
  });

  it('finds the program after the call operator, quoted or not, and after an assignment', () => {
    const script =
      '& claude -p x\n& "claude" --print y\n$out = claude -p z\n. ./setup.ps1\n& { claude -p w }';
    expect(runs(script)).toEqual([
      { start: 2, headless: true },
      { start: 16, headless: true },
      { start: 42, headless: true },
      { start: 72, headless: true },
    ]);
    expect(read('. ./setup.ps1')).toEqual(['2 ./setup.ps1']);
  });

  it("reads '' and backtick escapes, and keeps `${{ }}` whole", () => {
    const script = `claude -p 'it''s' "a\`"b\`tc" "\${{ github.event.comment.body || 'x; y' }}" \`\n  --max-turns 3`;
    const command = parsePowerShell(script).items[0]!;
    expect(command.kind === 'command' && command.command.words.map((w) => w.text)).toEqual([
      'claude',
      '-p',
      "it's",
      'a"b\tc',
      "${{ github.event.comment.body || 'x; y' }}",
      '--max-turns',
      '3',
    ]);
  });

  it('reads here-strings as words, and the `$( )` of an expandable one as commands', () => {
    const script = '$p = @\'\nclaude -p literal\n\'@\n$q = @"\nsee $(claude -p inner)\n"@\nclaude -p $p';
    expect(runs(script)).toEqual([
      { start: 43, headless: true },
      { start: 63, headless: true },
    ]);
  });

  it('skips `#` and `<# #>` comments, and reads `( )`, `$( )`, blocks and keyword statements inside', () => {
    const script = [
      '<# claude -p in a block comment',
      '   still a comment #> Write-Host ok # claude -p trailing',
      'foreach ($f in (Get-ChildItem *.md)) { claude -p "review $f" }',
      'Write-Host "$(claude --version)"',
      'if ($x) { npm test } else { claude -p x }',
      '$h = @{ claude = "-p" }',
    ].join('\n');
    expect(read(script)).toEqual([
      '54 Write-Host ok',
      '105 nested Get-ChildItem *.md',
      '128 nested claude -p review $f',
      '152 Write-Host $(claude --version)',
      '166 nested claude --version',
      '195 nested npm test',
      '213 nested claude -p x',
    ]);
  });

  it('reads Start-Process as the program it starts, and Windows paths to the binary', () => {
    const script = [
      "Start-Process -FilePath claude.cmd -ArgumentList '-p','review' -Wait -NoNewWindow",
      'Start-Process claude "-p review" -PassThru',
      'C:\\tools\\claude.exe -p x',
    ].join('\n');
    expect(read(script)).toEqual(['24 claude -p review', '96 claude -p review', '125 C:/tools/claude -p x']);
    expect(runs(script).map((r) => r.headless)).toEqual([true, true, true]);
  });

  it('reads [Environment]::SetEnvironmentVariable for this process only', () => {
    const script = [
      "[Environment]::SetEnvironmentVariable('ANTHROPIC_API_KEY', $null)",
      "[System.Environment]::SetEnvironmentVariable('CLAUDE_CODE_OAUTH_TOKEN', 'x', 'User')",
      '[Environment]::SetEnvironmentVariable("ANTHROPIC_AUTH_TOKEN", "tok")',
    ].join('\n');
    expect(read(script)).toEqual([
      '0 env ANTHROPIC_API_KEY = "$null"',
      '151 env ANTHROPIC_AUTH_TOKEN = "tok"',
    ]);
  });

  it('says what it could not read and where, never a command from an unclosed string', () => {
    const cases = [
      "Write-Host 'open\nclaude -p x",
      '$p = @"\nclaude -p x',
      '<# open\nclaude -p x',
      'Write-Host (claude -p x',
    ];
    expect(cases.map((s) => parsePowerShell(s).unreadable.map((u) => `${u.at}: ${u.reason}`))).toEqual([
      ['11: a quoted string never closes'],
      ['5: a here-string never closes'],
      ['0: a `<#` comment never closes'],
      ['11: a `(` never closes'],
    ]);
    expect(runs(cases[0]!)).toEqual([]);
  });

  it('reads the text Invoke-Expression runs when the file holds it, and says where it cannot', () => {
    expect(runs('Invoke-Expression \'claude -p x\'\niex -Command "claude --print y"')).toEqual([
      { start: 19, headless: true },
      { start: 46, headless: true },
    ]);
    const made = parsePowerShell('$c = "claude -p $env:PROMPT"\nInvoke-Expression $c');
    expect(made.unreadable).toEqual([
      { reason: 'Invoke-Expression runs text made at run time', at: 47, from: 0 },
    ]);
  });
});

describe('PowerShell reader under random and hostile input', () => {
  const ALPHABET = [
    ...'abc $&|;()[]{}@\'"`#<>=,.-:\n\t\\*?',
    'claude ',
    '-p ',
    '$env:ANTHROPIC_API_KEY',
    '${{ secrets.X }}',
    '@"\n',
    "\n'@",
    '\n"@',
    '<#',
    '#>',
    '$(',
    '&&',
    '||',
    'Remove-Item Env:X ',
    'Start-Process ',
    '\u2018',
    '\u201c',
  ];
  const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 300 }).map((parts) => parts.join(''));

  /** Every word and item lies inside the script, in order, and the work is a bounded multiple of its size. */
  function holds(script: string): void {
    takeWork();
    const { items, unreadable } = parsePowerShell(script);
    const work = takeWork().shellCharacters;
    expect(work).toBeLessThanOrEqual(40 * (script.length + 1));
    let last = -1;
    for (const item of items) {
      expect(item.start).toBeGreaterThanOrEqual(last);
      last = item.start;
      const words =
        item.kind === 'command' ? item.command.words : item.kind === 'env-assignment' ? [item.target] : [];
      for (const w of words) {
        expect(w.start).toBeGreaterThanOrEqual(0);
        expect(w.end).toBeLessThanOrEqual(script.length);
        expect(w.start).toBeLessThanOrEqual(w.end);
      }
      if (item.kind === 'command') meaningOf(item.command);
    }
    for (const u of unreadable) expect(u.at).toBeLessThanOrEqual(script.length);
  }

  it('never throws, keeps every position inside the script, and counts bounded work', () => {
    fc.assert(fc.property(text, holds), { numRuns: 400, seed: 20261207 });
  });

  it('bounds deep nesting, long runs of quotes and openers that never close', () => {
    for (const script of [
      '"$('.repeat(3000) + 'claude -p x' + ')"'.repeat(3000),
      '('.repeat(5000) + 'claude -p x',
      '{'.repeat(5000) + '}'.repeat(5000),
      '@('.repeat(2000) + ')'.repeat(2000),
      "'".repeat(9999),
      '"`'.repeat(4000),
      '<#'.repeat(3000),
      '$env:A = '.repeat(3000),
      '& '.repeat(3000) + 'claude',
    ])
      holds(script);
  });
});
