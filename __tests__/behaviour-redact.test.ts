import { describe, expect, it } from '@jest/globals';
import { redactLine } from '../src/report/redact.js';

/** Lines a report quotes under a finding: whatever value a credential name holds is not printed. */
describe('a plain-text credential on a quoted line', () => {
  it('is redacted under the usual secret names, with or without the underscore or the "or"', () => {
    expect(redactLine('curl --apikey=hunter2 https://x')).toBe('curl --apikey=<redacted> https://x');
    expect(redactLine('mysql --passwd=hunter2 db')).toBe('mysql --passwd=<redacted> db');
    expect(redactLine('PRIVATEKEY=hunter2 ./deploy')).toBe('PRIVATEKEY=<redacted> ./deploy');
  });

  it('is redacted up to the first blank or separator after `name = value`', () => {
    expect(redactLine('password = hunter2 next')).toBe('password = <redacted> next');
    expect(redactLine('token: hunter2, user: bob')).toBe('token: <redacted>, user: bob');
    expect(redactLine('          secret: hunter2')).toBe('          secret: <redacted>');
  });

  it('is redacted inside its quotes, keeping them, when the name and value are JSON strings', () => {
    expect(redactLine('{"api_key": "hunter 2", "model": "x"}')).toBe(
      '{"api_key": "<redacted>", "model": "x"}',
    );
    expect(redactLine(`--settings '{"token":"hunter2"}'`)).toBe(`--settings '{"token":"<redacted>"}'`);
  });

  it('is redacted to the end of the line when its opening quote is never closed', () => {
    expect(redactLine('run: AUTH_TOKEN="hunter 2 and more')).toBe('run: AUTH_TOKEN="<redacted>');
  });

  it('is redacted once when it is also a known key shape', () => {
    expect(redactLine('ANTHROPIC_API_KEY=sk-ant-api03-abc claude -p x')).toBe(
      'ANTHROPIC_API_KEY=<redacted> claude -p x',
    );
  });

  it('is redacted wherever it stands when it has a known shape, even before a named secret', () => {
    expect(redactLine('echo sk-ant-api03-AbC_d-9 | claude; TOKEN=hunter2')).toBe(
      'echo <redacted> | claude; TOKEN=<redacted>',
    );
    expect(redactLine('git clone https://github_pat_11AAAAAAA0bbbbbbbbbbbb_cccccccccc@github.com/o/r')).toBe(
      'git clone https://<redacted>@github.com/o/r',
    );
  });

  it('is left alone when it is only a reference, and a line with nothing secret is unchanged', () => {
    expect(redactLine('token: ${{ secrets.T }} password=$PW')).toBe('token: ${{ secrets.T }} password=$PW');
    expect(redactLine('model: claude-sonnet, turns = 5')).toBe('model: claude-sonnet, turns = 5');
  });
});

describe('a URL on a quoted line', () => {
  it('keeps its origin and path but not a value of its query, whatever the parameter is called', () => {
    expect(redactLine('ANTHROPIC_BASE_URL: https://proxy.example.com/v1?key=abc123&region=eu#top')).toBe(
      'ANTHROPIC_BASE_URL: https://proxy.example.com/v1?key=<redacted>&region=<redacted>#top',
    );
    expect(redactLine('curl "http://h/x?sig=s3cr3t" -o out')).toBe('curl "http://h/x?sig=<redacted>" -o out');
    // A reference or an empty value holds nothing; a URL without a query has nothing to hide.
    expect(redactLine('url: https://h/x?key=$KEY&flag=&a=${{ secrets.A }}')).toBe(
      'url: https://h/x?key=$KEY&flag=&a=${{ secrets.A }}',
    );
    expect(redactLine('see https://docs.example.com/a=b and ?key=not-a-url')).toBe(
      'see https://docs.example.com/a=b and ?key=not-a-url',
    );
  });

  it('is found at the start of a line, under any scheme, and with a nameless parameter', () => {
    expect(redactLine('https://h/x?k=v1')).toBe('https://h/x?k=<redacted>');
    expect(redactLine('x://h/?k=v2')).toBe('x://h/?k=<redacted>');
    expect(redactLine('s3://bucket/x?sig=v3')).toBe('s3://bucket/x?sig=<redacted>');
    expect(redactLine('https://h/?=v4')).toBe('https://h/?=<redacted>');
    expect(redactLine('https://h/a&b=c#x=y')).toBe('https://h/a&b=c#x=y');
  });
});
