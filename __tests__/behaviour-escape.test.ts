import { describe, expect, it } from '@jest/globals';
import { logText, markdownText } from '../src/report/escape.js';

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
