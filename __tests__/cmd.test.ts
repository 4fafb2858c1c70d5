/**
 * The cmd.exe reader (src/shell/cmd.ts): commands, `set`, `&`/`&&`/`||`, blocks under `if`/`for`/`else`,
 * comments, labels, `call` and `start`, with exact offsets; `cmd /c` code found in any shell's command.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { meaningOf } from '../src/claude/commands.js';
import { takeWork } from '../src/meter.js';
import { cmdCode, parseCmd, type CmdItem } from '../src/shell/cmd.js';
import { parsePowerShell } from '../src/shell/powershell.js';

function read(script: string): string[] {
  return parseCmd(script).items.map(shown);
}

function shown(item: CmdItem): string {
  if (item.kind === 'command')
    return `${item.command.start} ${item.command.pipedIn ? '| ' : ''}${item.command.words.map((w) => w.text).join(' ')}`;
  if (item.kind === 'set')
    return `${item.start} set ${item.name}@${item.target.start} = ${item.value ? JSON.stringify(item.value.text) : 'run time'}`;
  return `${item.start} ${item.kind}`;
}

describe('cmd.exe reader', () => {
  it('splits commands on lines, `&`, `&&`, `||` and `|`, past `@`, `call` and `start`, with exact offsets', () => {
    const script = '@echo off\ncall claude.cmd -p x & npm ci\nstart "t" /b Claude -p y | more || exit /b 1';
    expect(read(script)).toEqual([
      '1 echo off',
      '15 claude -p x',
      '33 npm ci',
      '53 claude -p y',
      '67 | more',
    ]);
    const runs = parseCmd(script).items.flatMap((i) =>
      i.kind === 'command' && meaningOf(i.command).kind === 'claude-run' ? [i.command.start] : [],
    );
    expect(runs).toEqual([15, 53]);
  });

  it('reads `set` in its plain and quoted forms, run-time values, and setlocal/endlocal', () => {
    const script =
      'setlocal\nset ANTHROPIC_API_KEY=&& claude -p x\nset "anthropic_api_key="\nset /p K=key?\nset X=a^&b\nendlocal';
    expect(read(script)).toEqual([
      '0 setlocal',
      '9 set ANTHROPIC_API_KEY@13 = ""',
      '34 claude -p x',
      '46 set anthropic_api_key@51 = ""',
      '71 set K@78 = run time',
      '85 set X@89 = "a&b"',
      '96 endlocal',
    ]);
  });

  it('marks what `if`, `for`, `else`, `&&`, `||` and a label guard as conditional, blocks whole', () => {
    const script =
      'if exist x (\n  set A=\n) else (\n  set B=\n)\nfor %%f in (*.md) do claude -p %%f\ngit pull || set C=\n:later\nset D=';
    const { items, conditional } = parseCmd(script);
    expect(items.map(shown)).toEqual([
      '15 set A@19 = ""',
      '33 set B@37 = ""',
      '63 claude -p %%f',
      '77 git pull',
      '89 set C@93 = ""',
      '103 set D@107 = ""',
    ]);
    expect(conditional.map((c) => `${c.from}-${c.to} ${c.why}`)).toEqual([
      '0-41 under `if`',
      '24-41 under `else`',
      '42-76 inside a `for` loop, which may run it any number of times',
      '86-95 after `||`',
      '96-109 after a label or `goto`, where run time decides what runs',
    ]);
  });

  it('skips `rem` and `::` comments, and reads `%*` as every argument', () => {
    expect(read('rem claude -p x\n:: claude -p y\nclaude %*')).toEqual(['31 claude $@']);
  });

  it('finds the code `cmd /c` runs, from PowerShell and from cmd itself', () => {
    const ps = 'cmd.exe /c "set ANTHROPIC_API_KEY=&& claude -p review"';
    const item = parsePowerShell(ps).items[0]!;
    const code = item.kind === 'command' ? cmdCode(item.command, ps) : undefined;
    expect(code).toEqual({
      text: 'set ANTHROPIC_API_KEY=&& claude -p review',
      start: 12,
      end: 54,
      exact: true,
      sameShell: false,
      shell: 'cmd',
    });
    const inner = parseCmd('cmd /s /c "set X=& claude -p"').items[0]!;
    expect(inner.kind === 'command' && inner.command.inline?.[0]?.text).toBe('set X=& claude -p');
  });

  it('never throws, and its work is bounded by the text, on random and hostile input', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ a-z%^"&|()<>=\n:@/*!]{0,200}$/), (text) => {
        takeWork();
        parseCmd(text);
        expect(takeWork().shellCharacters).toBeLessThanOrEqual(40 * (text.length + 1));
      }),
    );
  });
});
