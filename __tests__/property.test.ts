import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from '../src/sources/repo.js';
import { scan, type Report } from '../src/scan.js';
import { describeWithCorpus } from './corpus.js';
import { CORPUS, FIXTURES } from './helpers.js';

/** Runs are reproducible by default; PROPERTY_SEED=random (npm run test:fuzz) explores further. */
const SEED =
  process.env.PROPERTY_SEED === 'random' ? Date.now() : Number(process.env.PROPERTY_SEED ?? 20261124);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 250);

const NO_REPO: Repo = { read: () => undefined, parse: () => undefined };

function scanText(text: string): Report {
  return scan([{ file: 'w.yml', path: 'w.yml', text, explicit: true, repo: NO_REPO }]);
}

/** Every finding in the scanned file lies inside it, as a person would find it. */
function expectSpansInside(text: string, report: Report): void {
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  for (const f of report.findings) {
    if (f.file !== 'w.yml') continue;
    const { line, column, endLine, endColumn } = f.span;
    expect(line).toBeGreaterThanOrEqual(1);
    expect(endLine).toBeGreaterThanOrEqual(line);
    expect(endLine).toBeLessThanOrEqual(lines.length);
    expect(column).toBeGreaterThanOrEqual(1);
    expect(column).toBeLessThanOrEqual(lines[line - 1]!.length + 1);
    expect(endColumn).toBeLessThanOrEqual(lines[endLine - 1]!.length + 1);
    if (endLine === line) expect(endColumn).toBeGreaterThanOrEqual(column);
  }
  for (const r of report.routes) {
    if (r.file !== 'w.yml') continue;
    expect(r.line).toBeGreaterThanOrEqual(1);
    expect(r.line).toBeLessThanOrEqual(lines.length);
  }
}

const value = fc.oneof(
  fc.constantFrom(
    '${{ secrets.ANTHROPIC_API_KEY }}',
    '${{ vars.KEY }}',
    '""',
    "'0'",
    'true',
    '${{ secrets.A || secrets.B }}',
    '${{ matrix.k }}',
    '${{ inputs.key }}',
  ),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
);
const variable = fc.constantFrom(
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'ANTHROPIC_BASE_URL',
  'OTHER',
);
const env = (indent: string): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(variable, value), { maxLength: 4 })
    .map((pairs) =>
      pairs.length ? `${indent}env:\n${pairs.map(([k, v]) => `${indent}  ${k}: ${v}`).join('\n')}\n` : '',
    );
const command = fc.constantFrom(
  'claude -p "x"',
  'claude "x"',
  'npx -y @anthropic-ai/claude-code -p y',
  'echo "$ANTHROPIC_API_KEY"',
  'echo "ANTHROPIC_API_KEY=${{ secrets.K }}" >> "$GITHUB_ENV"',
  'export CLAUDE_CODE_USE_VERTEX=1',
  'cat <<EOF\nclaude -p in heredoc\nEOF',
  'R=$(claude --print "z")',
  'pip install claude-agent-sdk',
  'python run.py',
  'printenv',
  'claude setup-token',
  'set -x',
  'echo "${ANTHROPIC_API_KEY:0:5}" | base64',
  '( cd a && claude -p "w" ) || true',
  '# claude -p in a comment',
  'env -u ANTHROPIC_API_KEY claude -p "e"',
  'eval "claude -p $X"',
  "bash <<< 'claude -p h'",
  'docker run -e CLAUDE_CODE_OAUTH_TOKEN img',
  'CL=claude; $CL -p "v"',
  'timeout $T claude -p t',
  'source ./env.sh',
  'echo "ANTHROPIC_API_KEY<<EOF" >> "$GITHUB_ENV"',
  'unset CLAUDE_CODE_OAUTH_TOKEN',
  '"unterminated',
  '$(( 1 + ',
);
const script = fc.array(command, { minLength: 1, maxLength: 5 }).map((cs) =>
  cs
    .join(' && \\\n')
    .split('\n')
    .map((l) => `          ${l}`)
    .join('\n'),
);
const withInputs = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'anthropic_api_key',
        'claude_code_oauth_token',
        'use_bedrock',
        'api-key',
        'claude_args',
        'settings',
        'claude_env',
      ),
      value,
    ),
    { maxLength: 3 },
  )
  .map((pairs) =>
    pairs.length ? `        with:\n${pairs.map(([k, v]) => `          ${k}: ${v}`).join('\n')}\n` : '',
  );
const step = fc.oneof(
  fc.tuple(script, env('        ')).map(([s, e]) => `      - run: |\n${s}\n${e}`),
  fc
    .tuple(
      fc.constantFrom(
        'anthropics/claude-code-action@v1',
        'anthropics/claude-code-action@beta',
        'anthropics/claude-code-base-action@beta',
        'anthropic/claude-code-action@v1',
        'grll/claude-code-action@beta',
      ),
      withInputs,
      env('        '),
    )
    .map(([uses, w, e]) => `      - uses: ${uses}\n${w}${e}`),
);
const job = fc
  .tuple(
    fc.constantFrom('a', 'b-c', 'review'),
    env('    '),
    fc.array(step, { minLength: 1, maxLength: 4 }),
    fc.boolean(),
  )
  .map(
    ([id, e, steps, timeout]) =>
      `  ${id}:\n    runs-on: ubuntu-latest\n${timeout ? '    timeout-minutes: 5\n' : ''}${e}    steps:\n${steps.join('')}`,
  );
const workflow = fc
  .tuple(
    fc.constantFrom('push', 'pull_request', 'pull_request_target', '[push, workflow_run]'),
    env(''),
    fc.uniqueArray(job, { minLength: 1, maxLength: 3, selector: (j) => j.split(':')[0] }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(
    ([on, e, jobs, eol, bom]) =>
      (bom ? '\ufeff' : '') + `on: ${on}\n${e}jobs:\n${jobs.join('')}`.replace(/\n/g, eol),
  );

const mutation = fc.oneof(
  fc.tuple(fc.constant('delete' as const), fc.nat(), fc.integer({ min: 1, max: 40 })),
  fc.tuple(
    fc.constant('insert' as const),
    fc.nat(),
    fc.constantFrom(
      ':',
      '- ',
      '"',
      "'",
      '|',
      '>',
      '&a',
      '*a',
      '#',
      '{',
      '[',
      '\t',
      '\n',
      '${{',
      '}}',
      '$(',
      '\\',
      '\r\n',
      ' ',
    ),
  ),
  fc.tuple(fc.constant('truncate' as const), fc.nat(), fc.constant(0)),
  fc.tuple(fc.constant('duplicate-line' as const), fc.nat(), fc.constant(0)),
);

/** Random edits of real workflows never make the scan throw, and spans stay inside the edited text. */
function expectMutationsSafe(texts: string[]): void {
  fc.assert(
    fc.property(
      fc.nat({ max: texts.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 6 }),
      (index, mutations) => {
        let text = texts[index]!;
        for (const [kind, at, arg] of mutations) {
          const pos = text.length === 0 ? 0 : at % text.length;
          if (kind === 'delete') text = text.slice(0, pos) + text.slice(pos + (arg as number));
          else if (kind === 'insert') text = text.slice(0, pos) + (arg as string) + text.slice(pos);
          else if (kind === 'truncate') text = text.slice(0, pos);
          else {
            const lines = text.split('\n');
            const l = at % Math.max(1, lines.length);
            lines.splice(l, 0, lines[l] ?? '');
            text = lines.join('\n');
          }
        }
        const report = scanText(text);
        expectSpansInside(text, report);
        expect(JSON.stringify(scanText(text))).toBe(JSON.stringify(report));
      },
    ),
    { seed: SEED, numRuns: RUNS },
  );
}

function yamlTexts(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

describe('properties of the scan', () => {
  it('never throws on generated workflows, keeps every span inside the file, and is deterministic', () => {
    fc.assert(
      fc.property(workflow, (text) => {
        const first = scanText(text);
        expectSpansInside(text, first);
        expect(JSON.stringify(scanText(text))).toBe(JSON.stringify(first));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('never throws on mutations of the fixture workflows, and keeps spans inside the file', () => {
    expectMutationsSafe(yamlTexts(join(FIXTURES, 'repo', '.github', 'workflows')));
  });
});

describeWithCorpus('properties of the scan on the real corpus', () => {
  it('never throws on mutations of the real corpus, and keeps spans inside the file', () => {
    expectMutationsSafe(yamlTexts(join(CORPUS, 'real')));
  });
});

/** How bash lets a word be written without changing it: quoted whole, quoted in parts, or escaped. */
function requote(word: string, how: number, at: number): string {
  const k = word.length > 1 ? 1 + (at % (word.length - 1)) : 0;
  switch (how) {
    case 1:
      return `'${word}'`;
    case 2:
      return `"${word}"`;
    case 3:
      return `${word.slice(0, k)}''${word.slice(k)}`;
    case 4:
      return `${word.slice(0, k)}"${word.slice(k)}"`;
    case 5:
      return /[A-Za-z]/.test(word[k] ?? '') ? `${word.slice(0, k)}\\${word.slice(k)}` : word;
    default:
      return word;
  }
}

const spelled = fc.constantFrom(
  ['claude', '-p', 'x'],
  ['claude', '--print', '--max-turns', '3', 'y'],
  ['env', '-u', 'ANTHROPIC_API_KEY', 'claude', '-p', 'z'],
  ['timeout', '60', 'claude', '-p', 'w'],
  ['npx', '-y', '@anthropic-ai/claude-code', '-p', 'v'],
  ['node', 'node_modules/@anthropic-ai/claude-code/cli.js', '-p', 'u'],
  ['sudo', '-E', 'claude', '-p', 't'],
  ['claude', 'mcp', 'list'],
  ['claude', 's'],
  ['python', 'controller.py'],
);

describe('properties of shell words', () => {
  it('quoting or escaping a word never changes which runs are found or their routes', () => {
    fc.assert(
      fc.property(
        spelled,
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.nat()), { minLength: 6, maxLength: 6 }),
        (words, ways) => {
          const workflow = (line: string): string =>
            'on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    env:\n' +
            '      ANTHROPIC_API_KEY: ${{ secrets.K }}\n      CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n' +
            `    steps:\n      - run: npm i -g @anthropic-ai/claude-code\n      - run: |\n          ${line}\n`;
          const summary = (report: Report): string[] =>
            report.routes.map((r) => `${r.route}/${r.certainty}/${r.line}/${r.headless}/${r.invocation}`);
          const plain = scanText(workflow(words.join(' ')));
          const quoted = words.map((w, i) => requote(w, ways[i]![0], ways[i]![1])).join(' ');
          expect(summary(scanText(workflow(quoted)))).toEqual(summary(plain));
          expect(summary(plain).length).toBeGreaterThanOrEqual(words[1] === 'mcp' ? 0 : 1);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
