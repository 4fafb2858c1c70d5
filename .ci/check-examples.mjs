// Compares what the bundled CLI or action reported on examples/ with .ci/examples-expected.json: the exit
// code, every run as (file, job, route, verdict), and every finding as (severity, file, line, column, rule).
//   node .ci/check-examples.mjs cli REPORT.json EXIT_CODE
//   node .ci/check-examples.mjs action GITHUB_OUTPUT SUMMARY.md LOG EXIT_CODE
import { readFileSync } from 'node:fs';

const expected = JSON.parse(readFileSync(new URL('./examples-expected.json', import.meta.url), 'utf8'));
const [mode, ...args] = process.argv.slice(2);
const problems = [];

const key = (tuple) => JSON.stringify(tuple);
function sameSet(what, actual, wanted) {
  const have = new Set(actual.map(key));
  const want = new Set(wanted.map(key));
  for (const t of want) if (!have.has(t)) problems.push(`${what}: missing ${t}`);
  for (const t of have) if (!want.has(t)) problems.push(`${what}: unexpected ${t}`);
  if (actual.length !== have.size) problems.push(`${what}: ${actual.length - have.size} duplicate(s)`);
}
function sameExit(code) {
  if (Number(code) !== expected.exitCode) problems.push(`exit code ${code}, expected ${expected.exitCode}`);
}
const routeTuples = (routes) =>
  routes.filter((r) => r.invocation !== 'runner').map((r) => [r.file, r.job, r.route, r.verdict]);

/** `name<<DELIM ... DELIM` and `name=value` lines, as the runner reads $GITHUB_OUTPUT. */
function readOutputs(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const block = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (block) {
      const body = [];
      while (++i < lines.length && lines[i] !== block[2]) body.push(lines[i]);
      out[block[1]] = body.join('\n');
    } else if (lines[i].includes('='))
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
  }
  return out;
}

/** The route table of the job summary, cells decoded back to text. */
function summaryRoutes(markdown) {
  const decode = (cell) =>
    cell
      .replace(/<\/?code>/g, '')
      .replace(/\u200b/g, '')
      .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .trim();
  const table = markdown.split(
    '| Workflow | Job | Step | Invocation | Route | Credential source | Verdict |\n',
  )[1];
  if (!table) return undefined;
  return table
    .split('\n')
    .slice(1)
    .filter((line) => line.startsWith('| ') && !line.startsWith('| **this runner**'))
    .map((line) => line.split(' | ').map(decode))
    .map((cells) => [
      cells[0].replace(/^\| /, ''),
      cells[1],
      cells[4].split(' ')[0],
      cells[6].replace(/ \|$/, ''),
    ]);
}

if (mode === 'cli') {
  const [reportFile, code] = args;
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  sameExit(code);
  sameSet('routes', routeTuples(report.routes), expected.routes);
  sameSet(
    'findings',
    report.findings.map((f) => [f.severity, f.file, f.line, f.column, f.rule]),
    expected.findings,
  );
} else if (mode === 'action') {
  const [outputFile, summaryFile, logFile, code] = args;
  sameExit(code);
  const outputs = readOutputs(readFileSync(outputFile, 'utf8'));
  for (const severity of ['error', 'warning', 'notice']) {
    const value = outputs[`${severity}s`];
    if (value !== String(expected.counts[severity]))
      problems.push(`output ${severity}s is ${JSON.stringify(value)}, expected ${expected.counts[severity]}`);
  }
  if (outputs.routes === undefined) problems.push('no routes output');
  else sameSet('routes output', routeTuples(JSON.parse(outputs.routes)), expected.routes);
  const table = summaryRoutes(readFileSync(summaryFile, 'utf8'));
  if (table === undefined) problems.push('the summary has no route table');
  else sameSet('summary route table', table, expected.routes);
  const annotations = readFileSync(logFile, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const m = /^::(error|warning|notice) (.*?)::/.exec(line);
      if (!m || !m[2].includes('file=')) return [];
      const p = Object.fromEntries(
        m[2].split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      return [[m[1], p.file, Number(p.line), Number(p.col), p.title.replace(/^claude-route-guard%3A /, '')]];
    });
  sameSet('annotations', annotations, expected.findings);
} else {
  problems.push(`unknown mode ${mode}: use cli or action`);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`examples/: ${p}`);
  process.exit(1);
}
console.log(
  `examples/: ${mode} reported exactly the expected ${expected.routes.length} runs and ${expected.findings.length} findings`,
);
