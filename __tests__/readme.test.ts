import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ENGINE_RULES, RULES, RUN_RULES, RUNTIME_RULES } from '../src/rules/index.js';
import { loadPolicy } from '../src/policy/load.js';
import { ROOT, scanAt } from './helpers.js';
import { freshBundle } from './bundle.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}
const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

function tableRows(heading: string): string[][] {
  const section = README.split(`### ${heading}\n`)[1]!.trim().split('\n\n')[0]!;
  return section
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

describe('README', () => {
  it('shows every example exactly as the file the tests scan', () => {
    const blocks = [...README.matchAll(/<!-- file: (\S+) -->\n```\w+\n([\s\S]*?)```/g)];
    expect(blocks.map((b) => b[1])).toEqual([
      'examples/.github/workflows/route-guard.yml',
      'examples/.github/workflows/claude-review.yml',
      'examples/.github/workflows/claude-bedrock.yml',
      'examples/.github/workflows/claude-vertex.yml',
      'examples/.github/workflows/personal-assistant.yml',
      'examples/.github/claude-route-guard.yml',
      'examples/.pre-commit-config.yaml',
      'examples/org-inventory.yml',
    ]);
    for (const [, path, body] of blocks) expect(body).toBe(readFileSync(join(ROOT, path!), 'utf8'));
  });

  it('lists every input and output of action.yml with its description and default', () => {
    const inputs = tableRows('Inputs');
    expect(inputs.map((r) => r[0])).toEqual(Object.keys(ACTION.inputs).map((k) => `\`${k}\``));
    for (const [name, description, def] of inputs) {
      const input = ACTION.inputs[name!.replace(/`/g, '')]!;
      expect(description!.replace(/\\\|/g, '|')).toBe(input.description);
      expect(def).toBe(input.default ? `\`${input.default}\`` : '(empty)');
    }
    const outputs = tableRows('Outputs');
    expect(outputs.map((r) => [r[0], r[1]])).toEqual(
      Object.entries(ACTION.outputs).map(([k, v]) => [`\`${k}\``, v.description]),
    );
  });

  it('lists every rule once, in catalogue order, with its default severity, summary and docs page', () => {
    const section = README.split('## What it catches\n')[1]!.trim().split('\n\n')[0]!;
    const rows = section
      .split('\n')
      .slice(2)
      .map((line) =>
        line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((c) => c.trim().replace(/\\\|/g, '|')),
      );
    const catalogue = [
      ...RULES.map((r) => [r.id, r.severity, r.summary]),
      ...RUNTIME_RULES.map((r) => [r.id, r.severity, r.summary]),
      ...RUN_RULES.map((r) => [r.id, r.severity, r.summary]),
      ...ENGINE_RULES.map((r) => [r.id, r.severity, r.summary]),
    ];
    expect(rows).toEqual(
      catalogue.map(([id, severity, summary]) => [`[\`${id}\`](docs/rules/${id}.md)`, severity, summary]),
    );
    for (const [id] of catalogue) expect(existsSync(join(ROOT, 'docs', 'rules', `${id}.md`))).toBe(true);
  });

  it('runs the action on the current Actions Node runtime from the committed bundle', () => {
    expect(ACTION.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('says, beside the first workflow, the runtime the action needs and when its tags exist', () => {
    // Everything between the heading and the first example workflow is what a new user reads first.
    const first = README.split('## Use it in a workflow\n')[1]!.split('<!-- file: ')[0]!;
    expect(first).toContain(`runs on \`${ACTION.runs.using}\``);
    expect(first).toContain('runner 2.327.1 or later');
    expect(first).toContain('[release workflow](#releasing)');
    // The workflow that makes `@v0` and `rev: v0.1.0` true exists, and the README says how it is run.
    expect(existsSync(join(ROOT, '.github', 'workflows', 'release.yml'))).toBe(true);
    const releasing = README.split('\n### Releasing\n')[1]!.split('\n## ')[0]!;
    expect(releasing).toContain('.github/workflows/release.yml');
    expect(releasing).toContain('workflow_dispatch');
    expect(releasing).toContain('node scripts/release.mjs');
  });
});

describe('the examples repository', () => {
  const examples = join(ROOT, 'examples');
  const report = scanAt(examples, [], loadPolicy(examples, undefined));
  const verdict = (file: string): string[] =>
    report.routes.filter((r) => r.file === `.github/workflows/${file}`).map((r) => r.verdict);

  it('has clean good setups, the personal plan declared intended, and the accidents caught', () => {
    expect(verdict('claude-review.yml')).toEqual(['ok']);
    expect(verdict('claude-bedrock.yml')).toEqual(['ok']);
    expect(verdict('claude-vertex.yml')).toEqual(['ok']);
    expect(verdict('personal-assistant.yml')).toEqual([
      "intended: Personal repository; the owner's Max plan pays for this on purpose",
    ]);
    expect(verdict('nightly.yml')).toEqual(['error: subscription-token-in-ci', 'ok']);
    expect(verdict('release-notes.yml')).toEqual(['error: headless-without-api-route']);
    expect(verdict('route-guard.yml')).toEqual([]);
  });
});

/** The fenced sh blocks of one README section, line by line. */
function shLines(heading: string): string[] {
  const section = README.split(`\n## ${heading}\n`)[1]!.split('\n## ')[0]!;
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split('\n'));
}

describe('the README commands, run as written on a copy of the repository', () => {
  const sections = ['Quick start', 'Installation', 'The CLI'];
  const lines = sections.flatMap(shLines);
  // Lines that say they need network (the clone from GitHub, npm ci) are left to .ci/run's fresh clone.
  const runnable = lines.filter((l) => !l.includes('needs network'));
  const work = mkdtempSync(join(tmpdir(), 'crg-readme-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has the quick start, installation and CLI commands, none of them npx', () => {
    expect(lines.some((l) => l.startsWith('git clone '))).toBe(true);
    expect(runnable).toContain('claude-route-guard --version');
    expect(lines.filter((l) => /\bnpx\b/.test(l))).toEqual([]);
  });

  it('runs every command that needs no network: none fails, the installed bin answers', () => {
    const clone = join(work, 'claude-route-guard');
    const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    for (const file of tracked
      .trim()
      .split('\n')
      .filter((f) => existsSync(join(ROOT, f)))) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(ROOT, file), join(clone, file));
    }
    // Exit 1 means findings, which the examples have on purpose; 2 or more is a broken command.
    const script = runnable
      .map(
        (l) =>
          `${l}\ns=$?; if [ "$s" -gt 1 ]; then echo "FAILED ($s): ${l.replace(/["$`\\]/g, '\\$&')}" >&2; exit 1; fi`,
      )
      .join('\n');
    const prefix = join(work, 'prefix');
    const run = spawnSync('bash', ['-c', script], {
      cwd: work,
      encoding: 'utf8',
      env: {
        ...process.env,
        npm_config_prefix: prefix,
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
        PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(run.stderr).not.toContain('FAILED');
    expect(run.stderr).not.toContain('internal error');
    expect(run.status).toBe(0);
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(run.stdout.split('\n')).toContain(version);
    expect(run.stdout).toContain('"version": 1');
    expect(run.stdout).toContain('# unused-allow');
  });

  it('lists every CLI flag in the flag table', () => {
    const help = spawnSync(process.execPath, [freshBundle('cli'), '--help'], {
      encoding: 'utf8',
    }).stdout;
    const flags = [...help.matchAll(/^\s+(?:(-\w), )?(--[\w-]+)/gm)].flatMap((m) => [m[1], m[2]]);
    expect(flags.filter((f) => f !== undefined)).toEqual([
      '--format',
      '--compact',
      '--config',
      '--fail-on',
      '--min-confidence',
      '--max-file-size',
      '--repo',
      '--resolve-remote',
      '--cache-dir',
      '--runtime',
      '--list-rules',
      '--explain',
      '-h',
      '--help',
      '-V',
      '--version',
    ]);
    const table = README.split('| Flag | What it does |')[1]!.split('\n\n')[0]!;
    for (const flag of flags.filter((f) => f !== undefined)) expect(table).toContain(`\`${flag}`);
  });
});
