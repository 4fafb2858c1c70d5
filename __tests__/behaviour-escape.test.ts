import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRunText, logText, markdownText } from '../src/report/escape.js';
import { cliAt } from './helpers.js';

const WJ = '\u2060';

describe('a name printed to a runner log', () => {
  it('cannot start a workflow command, with or without blanks in front', () => {
    expect(logText('::error::forged')).toBe(`:${WJ}:error::forged`);
    expect(logText('  ::add-mask::x')).toBe(`  :${WJ}:add-mask::x`);
  });

  it('keeps a `::` that does not start the line, which the runner reads as text', () => {
    expect(logText('uses: a::b and job ::x')).toBe('uses: a::b and job ::x');
    expect(logText('ab::error::x')).toBe('ab::error::x');
  });

  it('shows a control character as its two-digit code', () => {
    expect(logText('a\u0001b\u001bc')).toBe('a\\x01b\\x1bc');
  });
});

describe('a name printed in Markdown (job summary, pull request comment)', () => {
  it('shows an ampersand as text, not the start of an entity', () => {
    expect(markdownText('R&D &lt;b&gt;')).toBe('R&amp;D &amp;lt;b&amp;gt;');
  });

  it('turns a line break into a blank, so a table row stays one row', () => {
    expect(markdownText('one\ntwo\r\nthree\rfour')).toBe('one two three four');
  });

  it('is cut at 300 characters even when each one takes two code units', () => {
    const emoji = '\u{1F600}';
    expect(markdownText(emoji.repeat(301))).toBe(`${emoji.repeat(300)}…`);
    expect(markdownText(emoji.repeat(300))).toBe(emoji.repeat(300));
  });
});

describe('Markdown that GitHub would still render', () => {
  it('shows an underscore at a word edge as text, so a name cannot turn into emphasis', () => {
    expect(markdownText('_em_ and __strong__')).toBe('&#95;em&#95; and &#95;&#95;strong&#95;&#95;');
    expect(markdownText('CLAUDE_CODE_OAUTH_TOKEN a_1 x_ _y')).toBe(
      'CLAUDE_CODE_OAUTH_TOKEN a_1 x&#95; &#95;y',
    );
  });

  it('breaks a GH-number reference, in either case, and leaves other dashes alone', () => {
    expect(markdownText('GH-1 gh-22 GH-x XGH-3')).toBe('GH\u200b-1 gh\u200b-22 GH-x XGH-3');
  });

  it('breaks an emoji shortcode, which would show an image', () => {
    expect(markdownText(':shipit: and :+1:')).toBe(':\u200bshipit: and :\u200b+1:');
    expect(markdownText('review.yml:7:14 at 10: done')).toBe('review.yml:7:14 at 10: done');
  });
});

describe('a name in a check run annotation (Checks API, plain text)', () => {
  it('shows controls and bidirectional overrides as their codes, and leaves markup as it is', () => {
    expect(checkRunText('a\u0000b\nc\r\u001b[2K\u202ed\u2066', 100)).toBe(
      'a\\x00b\\x0ac\\x0d\\x1b[2K\\u202ed\\u2066',
    );
    expect(checkRunText('<b>@octo #1 [x](y) `z`', 100)).toBe('<b>@octo #1 [x](y) `z`');
  });

  it('replaces a surrogate without its pair, and keeps a pair', () => {
    expect(checkRunText('\ud800x\udc00 \u{1F600}', 100)).toBe('\ufffdx\ufffd \u{1F600}');
  });

  it('stays within the limit in UTF-8 bytes, never splits a character, and says when it cuts', () => {
    expect(checkRunText('x'.repeat(6), 6)).toBe('xxxxxx');
    expect(checkRunText('x'.repeat(7), 6)).toBe('xxx…');
    expect(checkRunText('é'.repeat(5), 10)).toBe('é'.repeat(5));
    expect(checkRunText('é'.repeat(6), 10)).toBe('ééé…');
    expect(checkRunText('\u{1F600}'.repeat(3), 9)).toBe('\u{1F600}…');
    // The codes a control is shown as count too.
    expect(checkRunText('abc\u0000', 6)).toBe('abc…');
    const huge = checkRunText('x'.repeat(1_000_000), 64 * 1024);
    expect(Buffer.byteLength(huge)).toBe(64 * 1024);
    expect(huge).toBe(`${'x'.repeat(64 * 1024 - 3)}…`);
  });
});

describe('a wrapped line of the text report', () => {
  it('cannot start a workflow command with a word from inside a long name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-wrap-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'workflows', 'review.yml'),
      'on: push\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - run: claude -p "hi"\n',
    );
    writeFileSync(
      join(dir, '.github', 'claude-route-guard.yml'),
      `allow:\n  - workflow: .github/workflows/review.yml\n    routes: [subscription-login]\n    reason: "${'A'.repeat(80)} ::stop-commands::pwned ${'B '.repeat(40)}::warning::INJ"\n`,
    );
    const { out, err } = cliAt(dir, ['--fail-on', 'never', '.'], { env: {}, tty: { columns: 100 } });
    const lines = (out + err).split('\n');
    expect(lines.some((l) => l.includes('stop-commands'))).toBe(true);
    expect(lines.filter((l) => /^\s*::/.test(l))).toEqual([]);
  });
});
