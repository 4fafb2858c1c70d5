import { describe, expect, it } from '@jest/globals';
import { redact, redactedOffset, redactLine } from '../src/report/redact.js';

/** Lines a report quotes under a finding: whatever value a credential name holds is not printed. */
describe('a plain-text credential on a quoted line', () => {
  it('is redacted under the usual secret names, with or without the underscore or the "or"', () => {
    expect(redactLine('curl --apikey=hunter2 https://x')).toBe('curl --apikey=<redacted> https://x');
    expect(redactLine('mysql --passwd=hunter2 db')).toBe('mysql --passwd=<redacted> db');
    expect(redactLine('PRIVATEKEY=hunter2 ./deploy')).toBe('PRIVATEKEY=<redacted> ./deploy');
  });

  it('is redacted under hyphenated names as under underscored ones', () => {
    expect(redactLine('curl -H "x-api-key: hunter2" https://x')).toBe(
      'curl -H "x-api-key: <redacted>" https://x',
    );
    expect(redactLine('--anthropic-api-key=hunter2 --private-key hunter2')).toBe(
      '--anthropic-api-key=<redacted> --private-key hunter2',
    );
    expect(redactLine('private-key: hunter2')).toBe('private-key: <redacted>');
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

  it('is never an operator or an empty string: only a value compared with a secret name is redacted', () => {
    expect(
      redactLine("key: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN == '' && secrets.ANTHROPIC_API_KEY || '' }}"),
    ).toBe("key: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN == '' && secrets.ANTHROPIC_API_KEY || '' }}");
    expect(redactLine("if: secrets.API_TOKEN != '' && env.TOKEN=='' && env.TOKEN==''")).toBe(
      "if: secrets.API_TOKEN != '' && env.TOKEN=='' && env.TOKEN==''",
    );
    expect(redactLine('[ "$API_KEY" == "hunter2" ] && [ $TOKEN != hunter3 ] || t.token === "hunter4"')).toBe(
      '[ "$API_KEY" == "<redacted>" ] && [ $TOKEN != <redacted> ] || t.token === "<redacted>"',
    );
  });

  it('is left alone when it is only a reference, and a line with nothing secret is unchanged', () => {
    expect(redactLine('token: ${{ secrets.T }} password=$PW')).toBe('token: ${{ secrets.T }} password=$PW');
    expect(redactLine('model: claude-sonnet, turns = 5')).toBe('model: claude-sonnet, turns = 5');
  });
});

describe('ordinary YAML on a quoted line', () => {
  it('shows the words of the workflow language under secret-sounding keys', () => {
    expect(redactLine('    secrets: inherit')).toBe('    secrets: inherit');
    expect(redactLine('      id-token: write')).toBe('      id-token: write');
    expect(redactLine('{ contents: read, id-token: none, pull-requests: write }')).toBe(
      '{ contents: read, id-token: none, pull-requests: write }',
    );
    expect(redactLine('permissions: { id-token: write-all }, secret: "read-all"')).toBe(
      'permissions: { id-token: write-all }, secret: "read-all"',
    );
    expect(
      redactLine('use_auth: True, token: false, auth: NULL, secret: yes, TOKEN=no, token: on, auth: off'),
    ).toBe('use_auth: True, token: false, auth: NULL, secret: yes, TOKEN=no, token: on, auth: off');
  });

  it('still redacts a value that only starts or ends like such a word', () => {
    expect(redactLine('secrets: inherited-x, token: rewrite, id-token: writer')).toBe(
      'secrets: <redacted>, token: <redacted>, id-token: <redacted>',
    );
  });

  it('never lets a word through under a Claude credential’s own name', () => {
    expect(redactLine('ANTHROPIC_API_KEY: none')).toBe('ANTHROPIC_API_KEY: <redacted>');
    expect(redactLine('CLAUDE_CODE_OAUTH_TOKEN=write')).toBe('CLAUDE_CODE_OAUTH_TOKEN=<redacted>');
  });

  it('shows author and authority, which hold names, and redacts authorization and auth', () => {
    expect(redactLine('git log --author=octocat; authority: gh; authors: [a]')).toBe(
      'git log --author=octocat; authority: gh; authors: [a]',
    );
    expect(redactLine('auth: hunter2, AUTH_HEADER=hunter3, authorisation=x1, oauth: y2')).toBe(
      'auth: <redacted>, AUTH_HEADER=<redacted>, authorisation=<redacted>, oauth: <redacted>',
    );
  });

  it('redacts the credential after an authorization scheme, not the scheme', () => {
    expect(redactLine('curl -H "Authorization: Bearer abc123" https://x')).toBe(
      'curl -H "Authorization: Bearer <redacted>" https://x',
    );
    expect(redactLine('{"authorization": "Basic  dXNlcjpwYXNz", "x": 1}')).toBe(
      '{"authorization": "Basic  <redacted>", "x": 1}',
    );
    expect(redactLine('-H "Authorization: token $GH_TOKEN"')).toBe('-H "Authorization: token $GH_TOKEN"');
    expect(redactLine('auth: bearer')).toBe('auth: <redacted>');
    // A word that only ends like a scheme is the credential itself.
    expect(redactLine('auth: mytoken x')).toBe('auth: <redacted> x');
  });
});

describe('a column of a redacted line', () => {
  // 0-based offsets; `<redacted>` is 10 characters.
  const line = 'env: { token: hunter2, a: x, ANTHROPIC_API_KEY: sk-ant-api03-abcdefghijklmnop, b: y }';
  const { text, cuts } = redact(line);

  it('moves by what was redacted before it, on the redacted line', () => {
    expect(text).toBe('env: { token: <redacted>, a: x, ANTHROPIC_API_KEY: <redacted>, b: y }');
    expect(cuts).toEqual([
      { from: 14, to: 21 },
      { from: 48, to: 77 },
    ]);
    expect(text.slice(redactedOffset(cuts, line.indexOf('a: x'), false))).toMatch(/^a: x/);
    expect(text.slice(redactedOffset(cuts, line.indexOf('b: y'), false))).toMatch(/^b: y/);
    expect(redactedOffset(cuts, 3, false)).toBe(3);
  });

  it('stays at the start of a span that begins where a redacted value begins, or ends where it ends', () => {
    expect(redactedOffset(cuts, 14, false)).toBe(14);
    expect(redactedOffset(cuts, 21, true)).toBe(24);
    // A span that ends just before the value, or starts just after it, stays outside `<redacted>`.
    expect(redactedOffset(cuts, 14, true)).toBe(14);
    expect(redactedOffset(cuts, 21, false)).toBe(24);
  });

  it('covers the whole `<redacted>` for a span that begins or ends inside the value', () => {
    expect(redactedOffset(cuts, 16, false)).toBe(14);
    expect(redactedOffset(cuts, 16, true)).toBe(24);
    expect(redactedOffset(cuts, 60, false)).toBe(51);
    expect(redactedOffset(cuts, 60, true)).toBe(61);
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
    expect(redactLine('https://h/a&b=c')).toBe('https://h/a&b=c');
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

describe('a URL of any scheme, anywhere on the line', () => {
  it('has its query values redacted at the start of the line, under a one-letter or s3 scheme, with no key', () => {
    expect(redactLine('https://h/x?key=abc')).toBe('https://h/x?key=<redacted>');
    expect(redactLine('x://h/?sig=abc')).toBe('x://h/?sig=<redacted>');
    expect(redactLine('aws s3 cp s3://b/k?X-Amz-Signature=abc .')).toBe(
      'aws s3 cp s3://b/k?X-Amz-Signature=<redacted> .',
    );
    expect(redactLine('curl https://h/x?=abc')).toBe('curl https://h/x?=<redacted>');
  });
});
