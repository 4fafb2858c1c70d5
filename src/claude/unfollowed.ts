import type { UnfollowedWrite } from '../flow/channels.js';
import { Environment } from '../flow/environment.js';
import { maySetCredentials } from '../flow/maybe.js';
import type { Invocation } from './invocations.js';

/**
 * A run after a channel use the scan did not follow (an earlier step's write to $GITHUB_ENV, a folder
 * only run time knows first on PATH): what it receives is run time's, and one thing it may receive is a
 * subscription token (a name the write may have set, placed at the write), so a subscription is among
 * its outcomes and the row is at least a warning. A new run: the one given may be a remembered callee
 * walk's (callee-memo.ts), shared with other calls.
 */
export function afterUnfollowed(given: Invocation, write: UnfollowedWrite): Invocation {
  const inv = { ...given, undecided: given.undecided ?? write.why };
  if (inv.kind === 'lookalike' || inv.kind === 'opaque') return inv;
  const env = Environment.of(inv.bindings);
  maySetCredentials(env, 'may be written there at run time', write.file, write.span, 'github-env');
  return { ...inv, bindings: new Map(env) };
}
