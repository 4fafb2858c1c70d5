import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENGINE_RULES, RULES } from '../src/rules/index.js';
import { loadPolicy } from '../src/policy/load.js';
import { ROOT, scanAt } from './helpers.js';

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
    expect(blocks.length).toBeGreaterThanOrEqual(7);
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

  it('links every rule to its docs page', () => {
    for (const id of [...RULES.map((r) => r.id), ...Object.keys(ENGINE_RULES)]) {
      expect(README).toContain(`[\`${id}\`](docs/rules/${id}.md)`);
      expect(existsSync(join(ROOT, 'docs', 'rules', `${id}.md`))).toBe(true);
    }
  });

  it('runs the action on the current Actions Node runtime from the committed bundle', () => {
    expect(ACTION.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
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
