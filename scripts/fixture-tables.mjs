// The reviewed table of each fixture: every route row and every finding the CLI gives for it, one line each,
// in the order the report has them. `npm run tables` (scripts/tables.mjs) writes the tables from the bundled
// CLI; __tests__/tables.test.ts compares them with the CLI run on src/ in process. A changed table is
// reviewed like code: the test never writes one.
//
// What is scanned for a table (a "unit"):
// - Each YAML file under __tests__/fixtures on its own, from its repository's root (the nearest folder
//   above it that holds .github/, else its own folder), named as a path from there:
//   `cd behaviour && claude-route-guard --format json .github/workflows/bare.yml`. Its table sits beside
//   it: bare.yml.expected.tsv.
// - A repository that keeps a policy (.github/claude-route-guard.yml) is scanned whole, as
//   `cd policy-repo && claude-route-guard --format json`: its policy governs every file, and an allow
//   entry is judged against all of them. So is a folder that holds such repositories, with each of them
//   as a path (`cd multi-repo && claude-route-guard --format json alpha beta`): every repository follows
//   its own policy in one run. The table sits beside the folder: multi-repo.expected.tsv.
// No --fail-on is given, so each table's `exit` line is what the policy (or the default) makes of it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export const FIXTURES = '__tests__/fixtures';
export const TABLE_SUFFIX = '.expected.tsv';
const POLICY = join('.github', 'claude-route-guard.yml');
const YAML = /\.ya?ml$/i;

/**
 * A table that says what the engine should answer where today it answers otherwise starts with this
 * line, which says why: `npm run tables` keeps that table as it is, and its test is expected to fail
 * until the engine is fixed (then it fails for passing, and the line goes).
 */
export const WRONG_TODAY = '# wrong today:';

const posix = (path) => path.split(sep).join('/');

function yamlFilesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(path);
    return entry.isFile() && YAML.test(entry.name) ? [path] : [];
  });
}

const isRepository = (dir) =>
  existsSync(join(dir, '.github')) && statSync(join(dir, '.github')).isDirectory();
const keepsPolicy = (dir) => isRepository(dir) && existsSync(join(dir, POLICY));

/** A folder scanned whole: a repository with a policy, or a folder of repositories one of which has one. */
function wholeFolder(dir) {
  if (keepsPolicy(dir)) return { cwd: dir, paths: [] };
  if (isRepository(dir)) return undefined;
  const repositories = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && isRepository(join(dir, e.name)))
    .map((e) => e.name)
    .sort();
  return repositories.some((name) => keepsPolicy(join(dir, name)))
    ? { cwd: dir, paths: repositories }
    : undefined;
}

/** The nearest folder at or above `dir` (inside `top`) that holds .github/, else `dir` itself. */
function repositoryOf(dir, top) {
  for (let at = dir; at.startsWith(top); at = dirname(at)) if (isRepository(at)) return at;
  return dir;
}

/**
 * Every unit of the fixtures under `root` (the project's root), by name: the fixture's path below
 * __tests__/fixtures. `cwd` is absolute and `where` the same from the root; `paths` are what the CLI is
 * given; `table` is the table's absolute path; `covers` are the YAML files the table answers for.
 */
export function fixtureUnits(root) {
  const top = join(root, FIXTURES);
  const units = [];
  const wholes = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.github') continue;
      const path = join(dir, entry.name);
      const whole = wholeFolder(path);
      if (whole) wholes.push({ dir: path, ...whole });
      else walk(path);
    }
  };
  walk(top);
  const inWhole = (file) => wholes.some((w) => file.startsWith(w.dir + sep));
  for (const w of wholes)
    units.push({
      name: posix(relative(top, w.dir)),
      cwd: w.cwd,
      where: posix(relative(root, w.cwd)),
      paths: w.paths,
      table: w.dir + TABLE_SUFFIX,
      covers: yamlFilesUnder(w.dir).map((f) => posix(relative(top, f))),
    });
  for (const file of yamlFilesUnder(top).filter((f) => !inWhole(f))) {
    const cwd = repositoryOf(dirname(file), top);
    units.push({
      name: posix(relative(top, file)),
      cwd,
      where: posix(relative(root, cwd)),
      paths: [posix(relative(cwd, file))],
      table: file + TABLE_SUFFIX,
      covers: [posix(relative(top, file))],
    });
  }
  return units.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The CLI's arguments for a unit: the JSON report, and no --fail-on, so the exit code is the policy's. */
export const cliArguments = (unit) => ['--format', 'json', ...unit.paths];

/** A cell: tabs, line breaks, backslashes and other control characters written as escapes. */
function cell(value) {
  // eslint-disable-next-line no-control-regex
  return String(value ?? '').replace(/[\\\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\t') return '\\t';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
const row = (...cells) => cells.map(cell).join('\t');

/**
 * The table of one run of the CLI: `code` its exit code, `stdout` the JSON report (empty when it gave
 * none), `stderr` its lines. Route rows first, then findings each followed by its related places, then
 * what was not followed, skipped or said on stderr (those sections only when there is something in them),
 * and the exit code.
 */
export function tableText(unit, run) {
  const report =
    run.stdout.trim() === ''
      ? { routes: [], findings: [], unresolved: [], skipped: [] }
      : JSON.parse(run.stdout);
  const lines = [
    `# cd ${unit.where} && claude-route-guard ${cliArguments(unit).join(' ')}`,
    '# route\tfile\tline\tcolumn\tjob\troute\tcertainty\tverdict',
    ...report.routes.map((r) =>
      row('route', r.file, r.line, r.column, r.job, r.route, r.certainty, r.verdict),
    ),
    '# finding\tfile\trule\tseverity\tline\tcolumn\tendLine\tendColumn',
    '# related\tfile\tline\tcolumn\tendLine\tendColumn\tlabel',
    ...report.findings.flatMap((f) => [
      row('finding', f.file, f.rule, f.severity, f.line, f.column, f.endLine, f.endColumn),
      ...(f.related ?? []).map((r) =>
        row('related', r.file, r.line, r.column, r.endLine, r.endColumn, r.label),
      ),
    ]),
  ];
  if (report.unresolved.length > 0)
    lines.push(
      '# unresolved\tfile\tline\tcolumn\tmessage',
      ...report.unresolved.map((u) => row('unresolved', u.file, u.line, u.column, u.message)),
    );
  if (report.skipped.length > 0)
    lines.push('# skipped\tfile\treason', ...report.skipped.map((s) => row('skipped', s.file, s.reason)));
  if (run.stderr.length > 0) lines.push('# stderr\tline', ...run.stderr.map((l) => row('stderr', l)));
  lines.push(row('exit', run.code));
  return `${lines.join('\n')}\n`;
}

/** A committed table: its lines, and why it is wrong today when it says so (see WRONG_TODAY). */
export function readTable(path) {
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
  const mark = lines.findIndex((l) => l.startsWith(WRONG_TODAY));
  const wrongToday = mark === -1 ? undefined : lines[mark].slice(WRONG_TODAY.length).trim();
  return { lines: lines.filter((_, i) => i !== mark), wrongToday };
}
