import { describe, expect, it } from '@jest/globals';
import { aliasReason } from '../src/sources/graphql-batch.js';

// An error GitHub places under an alias may quote a name the listing or a caller supplied: the reason the
// report prints is always in the project's own words.
describe('the reason printed for an error under one alias', () => {
  const hostile = '::error::CANARY-7f3a @everyone <img src=x> [link](https://evil.example)';

  it('names a missing repository without repeating the quoted name', () => {
    expect(
      aliasReason({
        type: 'NOT_FOUND',
        message: `Could not resolve to a Repository with the name '${hostile}'.`,
      }),
    ).toBe('not found, or not readable with this token');
  });

  it('says which kind of token lacks access for the wordings it knows, and nothing else', () => {
    expect(aliasReason({ type: 'FORBIDDEN', message: 'Resource not accessible by integration' })).toBe(
      'the token may not read it (a GitHub App installation that does not grant it)',
    );
    expect(
      aliasReason({ type: 'FORBIDDEN', message: 'Resource not accessible by personal access token' }),
    ).toBe('the token may not read it (a fine-grained token that does not grant it)');
    expect(aliasReason({ type: 'FORBIDDEN', message: hostile })).toBe('the token may not read it');
  });

  it('names an unknown type only when it is an enum, never the message', () => {
    expect(aliasReason({ type: 'MAX_NODE_LIMIT_EXCEEDED', message: hostile })).toBe(
      'GitHub gave an error for it (MAX_NODE_LIMIT_EXCEEDED)',
    );
    expect(aliasReason({ type: hostile, message: hostile })).toBe('GitHub gave an error for it');
    expect(aliasReason({ message: hostile })).toBe('GitHub gave an error for it');
  });
});
