import type { RouteKind } from '../types.js';
import type { Entry } from '../workflow/model.js';
import type { Invocation } from './invocations.js';
import type { Binding } from '../workflow/values.js';

/** The routes a cloud account pays for: the switch picks the cloud, a login or credential says whose account. */
export type CloudRoute = 'bedrock' | 'vertex' | 'foundry';

/**
 * How a job proves which cloud account pays: the login action it runs before Claude, or a variable that
 * carries the credentials. The provider switch alone names no account.
 */
export const CLOUD_IDENTITY: Record<
  CloudRoute,
  { actions: readonly string[]; variables: readonly string[] }
> = {
  bedrock: {
    actions: ['aws-actions/configure-aws-credentials'],
    variables: [
      'AWS_BEARER_TOKEN_BEDROCK',
      'AWS_ACCESS_KEY_ID',
      'AWS_PROFILE',
      'AWS_ROLE_ARN',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ],
  },
  vertex: {
    actions: ['google-github-actions/auth'],
    variables: ['GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_GHA_CREDS_PATH', 'CLOUDSDK_AUTH_ACCESS_TOKEN'],
  },
  foundry: {
    actions: ['azure/login'],
    variables: ['ANTHROPIC_FOUNDRY_API_KEY', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'],
  },
};

export function isCloudRoute(kind: RouteKind): kind is CloudRoute {
  return kind in CLOUD_IDENTITY;
}

/** The step or variable that says which cloud account a run bills, and where it is written. */
export interface CloudIdentity {
  label: string;
  file: string;
  line: number;
  column: number;
}

/**
 * The identity of a cloud route's run: the last login action before it in the job, else a credential
 * variable in its step's or job's env. Only names and places, never a value. Null when the job holds
 * neither (the runner's own cloud identity, if any, pays) or the route is no cloud route.
 */
export function cloudIdentity(inv: Invocation, kind: RouteKind): CloudIdentity | null {
  if (!isCloudRoute(kind)) return null;
  const { actions, variables } = CLOUD_IDENTITY[kind];
  const job = inv.runner?.job ?? inv.jobNode;
  const file = inv.runner?.file ?? inv.file;
  if (!job) return null;
  const at = inv.stepNode ? job.steps.indexOf(inv.stepNode) : -1;
  const before = at === -1 ? job.steps : job.steps.slice(0, at);
  for (const step of [...before].reverse()) {
    const uses = step.uses?.text.trim() ?? '';
    const action = uses.split('@')[0]!.toLowerCase();
    if (actions.includes(action))
      return { label: uses, file, line: step.uses!.span.line, column: step.uses!.span.column };
  }
  const named = (entries: Entry[], level: string): CloudIdentity | null => {
    const entry = entries.find((e) => variables.includes(e.name));
    return entry
      ? {
          label: `${entry.name} in the ${level} env`,
          file,
          line: entry.nameSpan.line,
          column: entry.nameSpan.column,
        }
      : null;
  };
  return named(inv.stepNode?.env ?? [], 'step') ?? named([...job.env, ...job.containerEnv], 'job');
}

/** `${{ steps.<id>.outputs.<name> }}` as the whole value. */
const STEP_OUTPUT = /^\s*\$\{\{\s*steps\.([\w-]+)\.outputs\.[\w-]+\s*\}\}\s*$/;

/**
 * Whether a credential's value is a token a cloud login action of the job minted (`steps.auth.outputs.
 * id_token` of google-github-actions/auth, say): an identity provider's token for some audience, never a
 * claude.ai plan's. Read from the entry that writes the value in the run's step or job.
 */
export function mintedIdentityToken(inv: Invocation, b: Binding): boolean {
  const job = inv.runner?.job ?? inv.jobNode;
  if (!job) return false;
  const entries = [...(inv.stepNode?.with ?? []), ...(inv.stepNode?.env ?? []), ...job.env];
  const { line, column } = b.value.span;
  const entry = entries.find((e) => e.value.span.line === line && e.value.span.column === column);
  const ref = entry && STEP_OUTPUT.exec(entry.value.text);
  if (!ref) return false;
  const logins = Object.values(CLOUD_IDENTITY).flatMap((c) => c.actions);
  const step = job.steps.find((s) => s.id?.text.trim() === ref[1]);
  const action = step?.uses?.text.trim().split('@')[0]!.toLowerCase();
  return action !== undefined && logins.includes(action);
}
