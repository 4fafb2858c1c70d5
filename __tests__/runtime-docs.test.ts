import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { analyseRuntime } from '../src/passes/runner.js';
import { probeRunner } from '../src/runtime/probe.js';
import type { RouteKind } from '../src/types.js';
import { ROOT } from './helpers.js';

/**
 * The examples of the runtime rules' docs pages, run as the runner they describe: each section's workflow
 * gives the guard step its environment (a secret becomes a value of the shape its name asks for), and each
 * ```json <path>``` or ```text <path>``` block becomes that file on a fake machine (`~/` is its home,
 * `/etc/claude-code/` its managed settings folder).
 */

interface Example {
  workflow: string;
  files: [string, string][];
}

/** The examples under each `## ` heading of a rule's page. */
function examples(id: string): Map<string, Example> {
  const page = readFileSync(join(ROOT, 'docs', 'rules', `${id}.md`), 'utf8');
  const out = new Map<string, Example>();
  for (const section of page.split('\n## ').slice(1)) {
    const heading = section.slice(0, section.indexOf('\n'));
    const blocks = [...section.matchAll(/```(\w+)(?: (\S+))?\n([\s\S]*?)```/g)];
    const workflow = blocks.find(([, lang, path]) => lang === 'yaml' && !path)?.[3];
    if (workflow === undefined) continue;
    const files = blocks
      .filter(([, , path]) => path)
      .map(([, , path, text]): [string, string] => [path!, text!]);
    out.set(heading, { workflow, files });
  }
  return out;
}

const FAKE: Record<string, string> = {
  ANTHROPIC_API_KEY: 'sk-ant-api03-' + 'k'.repeat(40),
  CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-' + 'o'.repeat(40),
};

interface Job {
  'runs-on'?: string | string[];
  env?: Record<string, string>;
  steps?: { uses?: string; env?: Record<string, string> }[];
}

/** The guard step's environment: workflow, job and step env, each secret replaced by a value of its shape. */
function environment(workflow: string): Record<string, string> {
  const doc = parse(workflow) as { env?: Record<string, string>; jobs: Record<string, Job> };
  const job = Object.values(doc.jobs)[0]!;
  const step = job.steps?.find((s) => s.uses?.startsWith('claude-route-guard/'));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...doc.env, ...job.env, ...step?.env }))
    env[name] = /^\$\{\{\s*secrets\./.test(String(value))
      ? (FAKE[name] ?? `secret-for-${name}`)
      : String(value);
  const runsOn = [job['runs-on'] ?? []].flat();
  env.RUNNER_ENVIRONMENT = runsOn.includes('self-hosted') ? 'self-hosted' : 'github-hosted';
  return env;
}

/** The runner row's route and every runtime finding, with the example's files on a fake machine. */
function run(example: Example): { route: RouteKind; findings: [string, string, string][] } {
  const machine = mkdtempSync(join(tmpdir(), 'crg-docs-'));
  const home = join(machine, 'home');
  const managed = join(machine, 'managed');
  for (const [path, text] of example.files) {
    const at = path.startsWith('~/')
      ? join(home, path.slice(2))
      : path.startsWith('/etc/claude-code/')
        ? join(managed, path.slice('/etc/claude-code/'.length))
        : undefined;
    if (!at) throw new Error(`an example file outside the fake machine: ${path}`);
    mkdirSync(join(at, '..'), { recursive: true });
    writeFileSync(at, text);
  }
  const workspace = join(machine, 'workspace');
  mkdirSync(workspace);
  const facts = probeRunner({
    env: environment(example.workflow),
    home,
    workspace,
    platform: 'linux',
    managedSettingsDir: managed,
    mask: () => undefined,
  });
  const { row, findings } = analyseRuntime({ facts });
  return {
    route: row.route,
    findings: findings.map((f) => [f.rule, f.severity, f.message.replaceAll(machine, '<machine>')]),
  };
}

/** For each runtime page whose examples describe a machine: the runner's route and findings, per section. */
const EXPECTED: Record<string, Record<string, ReturnType<typeof run>>> = {
  'runtime-stored-login': {
    Bad: {
      route: 'subscription-login',
      findings: [
        [
          'runtime-stored-login',
          'error',
          'This self-hosted runner has a stored Claude subscription login (<machine>/home/.claude/.credentials.json) and no API-side credential is set, so Claude Code here bills whoever logged in. Set ANTHROPIC_API_KEY from a secret for the Claude step (and run `claude -p --bare`), or remove the login from the runner with `claude auth logout`.',
        ],
      ],
    },
    Good: { route: 'api-key', findings: [] },
    'A Console login is not a subscription': { route: 'console-login', findings: [] },
  },
  'runtime-managed-settings': {
    Bad: {
      route: 'api-key',
      findings: [
        [
          'runtime-managed-settings',
          'error',
          'Managed settings make this machine gateway-only (forceLoginMethod "gateway" in <machine>/managed/managed-settings.json): Claude Code here skips every other credential unless a cloud provider variable is set, so the job\'s ANTHROPIC_API_KEY (from environment) is never used; the run signs in through the Claude apps gateway at https://claude-gateway.example.com, whose owner pays, or fails where the machine has no gateway sign-in. Run this job on a runner without that setting, or through a cloud provider.',
        ],
      ],
    },
    Good: { route: 'bedrock', findings: [] },
    'An organisation lock': {
      route: 'api-key',
      findings: [
        [
          'runtime-managed-settings',
          'error',
          "forceLoginOrgUUID in <machine>/managed/managed-settings.d/20-org.json requires every login to belong to 1 organisation, and Claude Code blocks ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and apiKeyHelper at startup: the job's ANTHROPIC_API_KEY (from environment) is refused, so the run fails instead of billing it. Give this job a login of that organisation, or run it on a runner without this setting.",
        ],
      ],
    },
    'A provider list': {
      route: 'api-key',
      findings: [
        [
          'runtime-managed-settings',
          'error',
          "allowedProviders in <machine>/managed/managed-settings.json allows bedrock, vertex: Claude Code on this machine refuses a session on anthropic, the provider the job's ANTHROPIC_API_KEY selects, so the run fails. Add anthropic to the list, or run this job where it is allowed.",
        ],
      ],
    },
  },
};

describe('the runtime rules, on the machines their docs pages describe', () => {
  for (const [id, sections] of Object.entries(EXPECTED)) {
    it(`${id}: every example gives the route and findings its page shows`, () => {
      const found = examples(id);
      expect([...found.keys()]).toEqual(Object.keys(sections));
      for (const [heading, expected] of Object.entries(sections))
        expect([heading, run(found.get(heading)!)]).toEqual([heading, expected]);
    });
  }
});
