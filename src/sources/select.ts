import { CLAUDE_CREDENTIALS, isInertAction } from '../flow/consumers.js';
import type { Span } from '../types.js';
import type { Entry, Parsed, Step } from '../workflow/model.js';
import { inRepository, remoteAddress, type CalleeKind, type RemoteAddress } from './address.js';

/**
 * Whether a `uses:` names an action the engine knows without reading it (Anthropic's own and their
 * look-alikes). The detector owns that knowledge; the edge passes it in, so sources stay below it.
 */
export type KnownAction = (uses: string) => boolean;

/** A remote `uses:` worth reading, and the place that names it. */
export interface CalleeCall {
  kind: CalleeKind;
  address: RemoteAddress;
  uses: string;
  file: string;
  span: Span;
}

/** A value that hands the callee something secret: one of `holders` (`secrets.`), a Claude variable. */
const secretPattern = (holders: string): RegExp =>
  new RegExp(
    String.raw`\b(${holders})\s*\.|\$\{?(${CLAUDE_CREDENTIALS.join('|')})\b|\benv\s*\.\s*(${CLAUDE_CREDENTIALS.join('|')})\b`,
    'i',
  );
/** In an action, a caller's input can be a secret too. */
const CARRIES_SECRET = secretPattern('secrets|inputs');
/**
 * In a workflow `inputs.` holds no secret: GitHub allows no `secrets.` in what a caller passes as `with:`,
 * and a dispatch input is typed in by hand.
 */
const CARRIES_SECRET_IN_WORKFLOW = secretPattern('secrets');
/** A secret or variable named for Claude: a credential under another variable's name. */
const CLAUDE_SECRET = /\b(secrets|vars)\s*\.\s*\w*(anthropic|claude)/i;
/** An address that says it runs Claude or reviews code with a model. */
const NAMES_CLAUDE = /claude|anthropic|ai[-_]?(code[-_]?)?review|review[-_]?ai|llm[-_]?review/i;

/**
 * With remote callees at hand, a file may reach Claude through a call that only hands on a secret or an
 * input, or whose address names an AI reviewer: words the raw-text pre-check does not look for. A superset
 * of what `calleesOf` selects, for the scan to model such a file rather than call it inert.
 */
export function mayCallRemoteCallee(text: string): boolean {
  return /\b(secrets|inputs)\s*\./i.test(text) || NAMES_CLAUDE.test(text) || CARRIES_SECRET.test(text);
}

/** The run's own GitHub token is handed to many actions and never bills Claude. */
const GITHUB_TOKEN = /\bsecrets\s*\.\s*GITHUB_TOKEN\b|\bgithub\s*\.\s*token\b/gi;

function carriesSecret(entries: Entry[], inWorkflow: boolean): boolean {
  const secret = inWorkflow ? CARRIES_SECRET_IN_WORKFLOW : CARRIES_SECRET;
  return entries.some(
    (e) => secret.test(e.value.text.replace(GITHUB_TOKEN, '')) || CLAUDE_CREDENTIALS.includes(e.name),
  );
}

/**
 * Workflow and job env reach every step: only a Claude credential there makes every remote step matter,
 * not a value that merely names Claude (a model, a prompt).
 */
function carriesClaudeCredential(entries: Entry[]): boolean {
  return entries.some((e) => CLAUDE_CREDENTIALS.includes(e.name) || CLAUDE_SECRET.test(e.value.text));
}

/**
 * The remote callees of a file that can matter to a Claude route: they receive a credential or a secret
 * (`with:`, `env:`, `secrets:`, `inherit`), or their address names Claude or an AI reviewer. Anthropic's
 * own actions are known without reading them; checkout, caches and cloud logins never run Claude.
 * `home` is set when the file is itself a remote reusable workflow: its `./` workflows live there.
 */
export function calleesOf(doc: Parsed, known: KnownAction, home?: RemoteAddress): CalleeCall[] {
  if (doc.kind !== 'workflow' && doc.kind !== 'action') return [];
  const out: CalleeCall[] = [];
  const consider = (kind: CalleeKind, uses: string, span: Span, passes: boolean): void => {
    const text = uses.trim();
    const address =
      text.startsWith('./') && home && kind === 'workflow' ? inRepository(home, text) : remoteAddress(text);
    if (!address || known(text) || (kind === 'action' && isInertAction(text))) return;
    // This tool's own action checks routes; it never runs Claude.
    if (address.owner.toLowerCase() === 'claude-route-guard') return;
    if (passes || NAMES_CLAUDE.test(text)) out.push({ kind, address, uses: text, file: doc.file, span });
  };
  const ambient = carriesClaudeCredential(doc.kind === 'workflow' ? doc.env : []);
  const inWorkflow = doc.kind === 'workflow';
  const step = (s: Step, jobPasses: boolean): void => {
    if (s.uses)
      consider(
        'action',
        s.uses.text,
        s.uses.span,
        jobPasses || carriesSecret([...s.with, ...s.env], inWorkflow),
      );
  };
  if (doc.kind === 'action') {
    for (const s of doc.steps) step(s, false);
    return out;
  }
  for (const job of doc.jobs) {
    const jobPasses = ambient || carriesClaudeCredential([...job.env, ...job.containerEnv]);
    if (job.uses) {
      const passes = jobPasses || !!job.secretsInherit || carriesSecret([...job.secrets, ...job.with], true);
      consider('workflow', job.uses.text, job.uses.span, passes);
    }
    for (const s of job.steps) step(s, jobPasses);
  }
  return out;
}
