import type { Draft, RoutedInvocation } from '../rules/rule.js';
import { isRemoteFile } from '../sources/address.js';

/** `https://…/blob/{ref}/{path}#L{line}`: the remote place as a person opens it. */
export function remotePlace(file: string, line: number): string {
  return `${file}#L${line}`;
}

/**
 * Annotations and code scanning can only point at files of the repository, so a finding inside a remote
 * callee lands on the caller's `uses:` line and names the remote place in its message and related
 * locations. Undefined when no call in this file reaches that callee.
 */
export function placeInRepository(draft: Draft, invocations: RoutedInvocation[]): Draft | undefined {
  const related = draft.related?.map((r) =>
    isRemoteFile(r.file) ? { ...r, file: remotePlace(r.file, r.span.line) } : r,
  );
  if (!isRemoteFile(draft.file)) return related ? { ...draft, related } : draft;
  const host =
    (draft.invocation && !isRemoteFile(draft.invocation.file) ? draft.invocation : undefined) ??
    invocations.find((inv) => inv.inner?.file === draft.file) ??
    // A place in a callee between the caller and the innermost one: the call that went through remote files.
    invocations.find((inv) => !isRemoteFile(inv.file) && isRemoteFile(inv.inner?.file ?? ''));
  if (!host) return undefined;
  const place = remotePlace(draft.file, draft.span.line);
  return {
    ...draft,
    file: host.file,
    span: host.span,
    message: `${draft.message} (In the remote callee at ${place}.)`,
    related: [{ file: place, span: draft.span, label: 'the place in the remote callee' }, ...(related ?? [])],
  };
}
