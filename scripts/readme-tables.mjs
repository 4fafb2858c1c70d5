// Regenerates the README's inputs, outputs and rule tables from action.yml and the rule catalogue.
// The README test fails when they drift; run `npm run readme` after changing either.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const action = parse(readFileSync('action.yml', 'utf8'));
const inputs = ['| Input | Description | Default |', '|---|---|---|']
  .concat(
    Object.entries(action.inputs).map(
      ([k, v]) =>
        `| \`${k}\` | ${cell(v.description)} | ${v.default ? `\`${cell(v.default)}\`` : '(empty)'} |`,
    ),
  )
  .join('\n');
const outputs = ['| Output | Description |', '|---|---|']
  .concat(Object.entries(action.outputs).map(([k, v]) => `| \`${k}\` | ${cell(v.description)} |`))
  .join('\n');
const catalogue = execFileSync(process.execPath, ['dist/cli/index.js', '--list-rules'], { encoding: 'utf8' })
  .trim()
  .split('\n');
const rules = ['| Rule | Default | What it catches |', '|---|---|---|']
  .concat(
    catalogue.map((line) => {
      const [, id, severity, summary] = /^(\S+)\s+(\S+)\s+(.*)$/.exec(line);
      return `| [\`${id}\`](docs/rules/${id}.md) | ${severity} | ${cell(summary)} |`;
    }),
  )
  .join('\n');

let readme = readFileSync('README.md', 'utf8');
const replace = (start, end, body) => {
  const from = readme.indexOf(start) + start.length;
  const to = readme.indexOf(end, from);
  if (from < start.length || to === -1)
    throw new Error(`README has no section between "${start}" and "${end}"`);
  readme = readme.slice(0, from) + body + '\n' + readme.slice(to);
};
replace('### Inputs\n\n', '\n### Outputs', inputs);
replace('### Outputs\n\n', '\n## ', outputs);
replace('## What it catches\n\n', '\nSuppress one finding', rules);
writeFileSync('README.md', readme);
