import type { Span } from '../types.js';
import { parseFile, type ActionMetadata, type Parsed, type Workflow } from '../workflow/model.js';
import { addressKey, blobUrl, type CalleeKind, type RemoteAddress } from './address.js';
import { calleesOf, type CalleeCall, type KnownAction } from './select.js';
import type { ContentSource } from './source.js';

/** A callee read from another repository (its file is named by its blob URL), or why it was not. */
export type RemoteCallee = { parsed: Workflow | ActionMetadata; address: RemoteAddress } | { why: string };

/** What the engine asks for a remote `uses:`; undefined when it was never read (offline, or not worth it). */
export type RemoteLookup = (kind: CalleeKind, address: RemoteAddress) => RemoteCallee | undefined;

export interface RemoteFailure {
  file: string;
  span: Span;
  uses: string;
  why: string;
}

export interface ResolveOptions {
  /** `GITHUB_SERVER_URL`, for the blob URLs findings point at. */
  server: string;
  /** `owner/name` of the scanned repository: its own callees are read from the checkout. */
  self?: string;
  /**
   * With several repositories scanned: `owner/name` of the one a scanned file belongs to, in place of
   * `self`. A callee's own calls follow the repository of the file that reached it.
   */
  selfOf?: (file: string) => string | undefined;
  /** How many callees deep to follow, as the engine does for local ones. */
  maxDepth?: number;
  /** Actions known without reading them: never fetched. */
  known: KnownAction;
}

export interface ResolvedCallees {
  lookup: RemoteLookup;
  failures: RemoteFailure[];
  /** Callees read. */
  read: number;
}

const MAX_DEPTH = 4;
const PARALLEL = 6;

/**
 * Reads, before the scan, every remote callee the scanned files reach that can matter to a Claude route,
 * then their own callees (remote, or `./` in a remote reusable workflow's repository), breadth first,
 * each address once, so a cycle ends where it meets a callee already read.
 */
export async function resolveCallees(
  docs: Iterable<Parsed>,
  source: ContentSource,
  options: ResolveOptions,
): Promise<ResolvedCallees> {
  const found = new Map<string, RemoteCallee>();
  const failures: RemoteFailure[] = [];
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  // Each call with the repository it is made from: a call into that repository is read from the checkout.
  const selfOf = new Map<CalleeCall, string | undefined>();
  let level: CalleeCall[] = [];
  for (const doc of docs) {
    const self = (options.selfOf?.(doc.file) ?? options.self)?.toLowerCase();
    for (const call of calleesOf(doc, options.known)) {
      selfOf.set(call, self);
      level.push(call);
    }
  }
  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const fresh = new Map<string, CalleeCall>();
    for (const call of level) {
      const key = addressKey(call.kind, call.address);
      if (`${call.address.owner}/${call.address.repo}`.toLowerCase() === selfOf.get(call)) continue;
      if (!found.has(key) && !fresh.has(key)) fresh.set(key, call);
    }
    const calls = [...fresh.entries()];
    const next: CalleeCall[] = [];
    for (let i = 0; i < calls.length; i += PARALLEL) {
      const answers = await Promise.all(
        calls.slice(i, i + PARALLEL).map(([, call]) => readCallee(call, source, options.server)),
      );
      answers.forEach((answer, j) => {
        const [key, call] = calls[i + j]!;
        found.set(key, answer);
        if ('why' in answer)
          failures.push({ file: call.file, span: call.span, uses: call.uses, why: answer.why });
        else
          for (const inner of calleesOf(
            answer.parsed,
            options.known,
            call.kind === 'workflow' ? call.address : undefined,
          )) {
            selfOf.set(inner, selfOf.get(call));
            next.push(inner);
          }
      });
    }
    level = next;
  }
  return {
    lookup: (kind, address) => found.get(addressKey(kind, address)),
    failures,
    read: [...found.values()].filter((c) => 'parsed' in c).length,
  };
}

async function readCallee(call: CalleeCall, source: ContentSource, server: string): Promise<RemoteCallee> {
  const { owner, repo, ref, path } = call.address;
  const names =
    call.kind === 'workflow'
      ? [path]
      : ['action.yml', 'action.yaml'].map((name) => (path ? `${path}/${name}` : name));
  let why = '';
  for (const name of names) {
    const content = await source.get(owner, repo, ref, name);
    if ('why' in content) {
      why = content.why;
      if (content.missing) continue;
      return { why };
    }
    const parsed = parseFile(blobUrl(server, call.address, name), content.text);
    if (parsed.kind === 'error')
      return { why: `${name} is not valid YAML: ${parsed.message} (line ${parsed.span.line})` };
    if (parsed.kind === 'other') return { why: `${name} is ${parsed.reason}` };
    if (parsed.kind !== call.kind)
      return { why: `${name} is not ${call.kind === 'workflow' ? 'a workflow' : 'an action'}` };
    return { parsed, address: call.address };
  }
  return { why };
}
