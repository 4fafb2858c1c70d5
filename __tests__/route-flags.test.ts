import { describe, expect, it } from '@jest/globals';
import { candidatesOf } from '../src/claude/routes.js';
import { resolveRoute } from '../src/claude/precedence.js';
import { resolveText, type Binding } from '../src/workflow/values.js';

const span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** The route a run gets from these variables, each written as a workflow's `env:` value. */
function routeOf(vars: Record<string, string>): { kind: string; outcomes: string[] } {
  const scope = { file: 'f', env: new Map<string, Binding>() };
  const bindings = new Map<string, Binding>(
    Object.entries(vars).map(([variable, text]) => [
      variable,
      { variable, level: 'step', file: 'f', keySpan: span, value: resolveText(text, scope, 'f', span) },
    ]),
  );
  const route = resolveRoute(candidatesOf(bindings, false));
  return { kind: route.kind, outcomes: route.outcomes };
}

describe('ANTHROPIC_CUSTOM_HEADERS', () => {
  it('is a gateway credential when it sets Authorization:, in any case, among other headers', () => {
    const gateway = { kind: 'gateway-token', outcomes: ['gateway-token'] };
    expect(routeOf({ ANTHROPIC_CUSTOM_HEADERS: 'Authorization: Bearer abc' })).toEqual(gateway);
    expect(
      routeOf({ ANTHROPIC_CUSTOM_HEADERS: 'X-Team: a\n  AUTHORIZATION : Bearer ${{ secrets.T }}' }),
    ).toEqual(gateway);
    // It ranks with the gateway token, above the key it stands beside.
    expect(
      routeOf({
        ANTHROPIC_CUSTOM_HEADERS: 'authorization: Bearer ${{ secrets.T }}',
        ANTHROPIC_API_KEY: '${{ secrets.K }}',
      }),
    ).toEqual(gateway);
  });

  it('is no credential with only other headers, or when the files do not show its header names', () => {
    const none = { kind: 'subscription-login', outcomes: ['subscription-login'] };
    expect(routeOf({ ANTHROPIC_CUSTOM_HEADERS: 'cf-aig-authorization: Bearer ${{ secrets.T }}' })).toEqual(
      none,
    );
    expect(routeOf({ ANTHROPIC_CUSTOM_HEADERS: 'X-Authorization-Id: 1' })).toEqual(none);
    expect(routeOf({ ANTHROPIC_CUSTOM_HEADERS: '${{ secrets.HEADERS }}' })).toEqual(none);
    expect(routeOf({ ANTHROPIC_CUSTOM_HEADERS: '' })).toEqual(none);
  });

  it('is a possible credential when only some of the values it can take set Authorization:', () => {
    const route = routeOf({
      ANTHROPIC_CUSTOM_HEADERS: "${{ github.event_name == 'push' && 'Authorization: Bearer x' || 'X-A: 1' }}",
    });
    expect(route).toEqual({ kind: 'unknown', outcomes: ['gateway-token', 'subscription-login'] });
  });
});
