/**
 * PowerShell text the flow reads for its value (src/shell/powershell-values.ts): program names made of
 * strings and variables, `Set-Alias` definitions, `Where-Object` name filters and `-like` wildcards.
 */
import { describe, expect, it } from '@jest/globals';
import { aliasDefinition, nameFilter, stringValue, wildcard } from '../src/shell/powershell-values.js';
import type { Word } from '../src/shell/reader.js';

const words = (...texts: string[]): Word[] =>
  texts.map((text, k) => ({ text, start: k, end: k + 1, quoted: /^'/.test(text) }));

describe('PowerShell values', () => {
  const vars: Record<string, string> = { a: 'cla', b: 'ude' };
  const lookup = (name: string, env: boolean): string | undefined => (env ? undefined : vars[name]);

  it('spells a name made of strings and known variables, and nothing when a part is run time', () => {
    expect(stringValue("('cla' + 'ude')", lookup)).toBe('claude');
    expect(stringValue('("cla"+"ude")', lookup)).toBe('claude');
    expect(stringValue('"$a$b"', lookup)).toBe('claude');
    expect(stringValue('("$a" + ${b})', lookup)).toBe('claude');
    expect(stringValue('"$a$env:SUFFIX"', lookup)).toBeUndefined();
    expect(stringValue('"$(Get-Name)"', lookup)).toBeUndefined();
    expect(stringValue('(Get-Name)', lookup)).toBeUndefined();
  });

  it('reads Set-Alias and New-Alias by name, by position and with `-Name:value`', () => {
    const shown = (ws: Word[]): string | undefined => {
      const d = aliasDefinition(ws);
      return d && `${d.name}=${d.value.text}`;
    };
    expect(shown(words('Set-Alias', '-Name', 'ai', '-Value', 'claude'))).toBe('ai=claude');
    expect(shown(words('sal', 'ai', 'claude', '-Scope', 'Global'))).toBe('ai=claude');
    expect(shown(words('New-Alias', '-Name:ai', '-Value:claude.exe', '-Force'))).toBe('ai=claude.exe');
    expect(shown(words('Set-Alias', '-Name', 'ai'))).toBeUndefined();
  });

  it('reads `Where-Object` name filters it can spell out, and no other', () => {
    const names = ['ANTHROPIC_API_KEY', 'NODE_OPTIONS', 'CLAUDE_CODE_OAUTH_TOKEN'];
    const passed = (ws: Word[]): string[] | undefined => {
      const test = nameFilter(ws);
      return test && names.filter(test);
    };
    expect(passed(words('Where-Object', 'Name', '-like', 'ANTHROPIC_*'))).toEqual(['ANTHROPIC_API_KEY']);
    expect(passed(words('?', "{ $_.Name -match '^node_' }"))).toEqual(['NODE_OPTIONS']);
    expect(passed(words('where', 'Key', '-notlike', '*_KEY'))).toEqual(names.slice(1));
    expect(passed(words('?', "{ $_.Name -match '(a+)+$' }"))).toBeUndefined();
    expect(passed(words('?', '{ $_.Value -eq $x }'))).toBeUndefined();
  });

  it('matches `-like` wildcards without case, in time bounded by the name and the pattern', () => {
    expect(wildcard('anthropic_*')('ANTHROPIC_API_KEY')).toBe(true);
    expect(wildcard('A?T*KEY')('ANTHROPIC_API_KEY')).toBe(true);
    expect(wildcard('*TOKEN')('ANTHROPIC_API_KEY')).toBe(false);
    expect(wildcard(`${'*a'.repeat(40)}b`)('a'.repeat(60))).toBe(false);
  });
});
