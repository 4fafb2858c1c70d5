import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../src/scan.js';
import { parseFile } from '../src/workflow/model.js';
import { freshBundle } from './bundle.js';
import { describeWithCorpus, rebuild, rebuildReal } from './corpus.js';
import { CORPUS, FIXTURES, ROOT, scanAt } from './helpers.js';
import { misplaced } from './report-checks.js';

/** Files that hold a Claude run (directly, or as the wrapper a run comes through). */
/**
 * The files of a project that can hold a Claude run, read from their text: those that name Claude or
 * Anthropic (or carry a key's prefix), and those that call one of them through `uses: ./...`.
 */
function filesNamingClaude(projectRoot: string, paths: string[]): Set<string> {
  const text = new Map(paths.map((p) => [p, readFileSync(join(projectRoot, p), 'utf8')]));
  const can = new Set(paths.filter((p) => /claude|anthropic|sk-ant-/i.test(text.get(p)!)));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of paths) {
      if (can.has(p)) continue;
      const callees = [...text.get(p)!.matchAll(/uses:\s*['"]?\.\/([^\s'"@]+)/g)].map((m) => m[1]!);
      if (callees.some((c) => [...can].some((q) => q === c || q.startsWith(`${c.replace(/\/$/, '')}/`)))) {
        can.add(p);
        grew = true;
      }
    }
  }
  return can;
}

/** Rules whose findings judge one Claude run, placed on the run or on what it receives. */
const RUN_RULES = new Set([
  'subscription-token-in-ci',
  'headless-without-api-route',
  'third-party-endpoint',
  'shadowed-credential',
  'unbounded-spend',
  'interactive-claude-in-ci',
]);

function filesWithRuns(report: Report): Set<string> {
  const files = new Set<string>();
  for (const r of report.routes) {
    files.add(r.file);
    if (r.via) files.add(r.via.file);
  }
  return files;
}

describeWithCorpus('the bulk corpus, rebuilt into its projects’ trees', () => {
  const { root, files } = rebuild('bulk');
  const projects = [...files.keys()].sort();
  const reports = new Map(projects.map((p) => [p, scanAt(join(root, p), [])]));

  it('scans all 16 projects, every finding and route inside a line of a file of its project', () => {
    expect(projects).toHaveLength(16);
    expect(
      misplaced([...reports].map(([project, report]) => ({ project, cwd: join(root, project), report }))),
    ).toEqual([]);
  });

  it('follows local reusable workflows and composite actions to the Claude run inside', () => {
    const pytorch = reports.get('pytorch__test-infra')!;
    expect(pytorch.routes).toContainEqual(
      expect.objectContaining({
        file: '.github/workflows/claude-code.yml',
        job: 'claude-code',
        invocation: 'reusable-workflow',
      }),
    );
    const archestra = reports.get('Excellencedev__archestra')!;
    expect(archestra.routes).toContainEqual(
      expect.objectContaining({
        file: '.github/workflows/claude-coreteam-mentions-shared.yml',
        invocation: 'composite-action',
      }),
    );
  });

  it('reports nothing in files that only mention Claude (comments, paths, job names, other LLM SDKs)', () => {
    for (const [project, report] of reports) {
      // Read from the files, not from the report: a file can hold a run only if it names Claude or
      // Anthropic, or calls a file of its project that can.
      const canRun = filesNamingClaude(join(root, project), files.get(project)!);
      const noisy = [
        ...report.findings.map((f) => `${f.file}:${f.span.line} ${f.rule}`),
        ...report.routes.map((r) => `${r.file}:${r.line} route of ${r.job}`),
      ].filter((place) => !canRun.has(place.slice(0, place.indexOf(':'))));
      expect(noisy.map((place) => `${project}/${place}`)).toEqual([]);
      // And from the report itself: a finding sits in a file with a run, or in the wrapper a run comes through.
      const withRuns = filesWithRuns(report);
      expect(report.findings.filter((f) => !withRuns.has(f.file)).map((f) => `${project}/${f.file}`)).toEqual(
        [],
      );
    }
    // Hand-checked: these mention `.claude/`, CLAUDE.md or "anthropic" only in comments, path filters or package extras.
    const mentionOnly: [string, string][] = [
      ['electron__electron', '.github/workflows/build.yml'],
      ['koedame__chordsketch', '.github/workflows/ci.yml'],
      ['forwardimpact__monorepo', '.github/workflows/publish-skills.yml'],
      ['Dealix-sa__dealix', '.github/workflows/watchdog_drift.yml'],
      ['MervinPraison__PraisonAI', '.github/workflows/test-frameworks.yml'],
      ['Arize-ai__phoenix', '.github/workflows/python-CI.yml'],
    ];
    for (const [project, file] of mentionOnly) {
      const report = reports.get(project)!;
      expect(report.files).toBeGreaterThan(0);
      expect(report.findings.filter((f) => f.file === file)).toEqual([]);
      expect(report.routes.filter((r) => r.file === file)).toEqual([]);
    }
  });
});

describeWithCorpus('the real corpus', () => {
  const real = join(CORPUS, 'real');
  const report = scanAt(
    real,
    readdirSync(real).filter((f) => /\.ya?ml$/.test(f)),
  );

  it('reports no finding about a run inside a job that has none, as the hand labels say', () => {
    // corpus-labels.tsv was read by hand, job by job; `none` is a job without a Claude run. Every file of
    // this corpus holds a run somewhere, so the check is per job: a finding that judges a run must not
    // sit between the first line of a `none` job and the next job.
    const none = new Set<string>();
    for (const line of readFileSync(join(ROOT, '__tests__', 'corpus-labels.tsv'), 'utf8').split('\n')) {
      const [file, job, routes] = line.split('\t');
      if (!line.startsWith('#') && routes === 'none') none.add(`${file}\t${job}`);
    }
    expect(none.size).toBeGreaterThanOrEqual(30);
    const noisy: string[] = [];
    let judged = 0;
    for (const f of rebuildReal()) {
      const parsed = parseFile(f.path, readFileSync(join(f.root, f.path), 'utf8'));
      if (parsed.kind !== 'workflow') continue;
      const starts = parsed.jobs.map((j) => j.idSpan.line);
      const inTree = scanAt(f.root, [f.path]);
      for (const finding of inTree.findings) {
        if (finding.file !== f.path || !RUN_RULES.has(finding.rule)) continue;
        judged++;
        const k = starts.filter((start) => start <= finding.span.line).length - 1;
        if (k >= 0 && none.has(`${f.file}\t${parsed.jobs[k]!.id}`))
          noisy.push(`${f.file}:${finding.span.line} ${finding.rule} in job ${parsed.jobs[k]!.id}`);
      }
    }
    expect(judged).toBeGreaterThan(50);
    expect(noisy).toEqual([]);
  });

  it('never crashes the bundled CLI on any file of the whole corpus', () => {
    const all = spawnSync(
      process.execPath,
      [freshBundle('cli'), '--format', 'json', '--fail-on', 'never', real, join(CORPUS, 'bulk')],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(all.status).toBe(0);
    expect(all.stderr).not.toContain('internal error');
    expect((JSON.parse(all.stdout) as Report).routes.length).toBeGreaterThan(report.routes.length);
  });
});

// What the corpus tests protect, on the project's own fixtures, so a clone without the corpus still catches it.
describe('the same behaviours on the fixtures', () => {
  it('reports nothing in workflows that only mention Claude (path filters, job names, text, other SDKs)', () => {
    const report = scanAt(join(FIXTURES, 'mention-only'), []);
    expect(report.files).toBe(2);
    expect(report.routes).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it('never crashes the bundled CLI on any fixture, broken ones included', () => {
    const all = spawnSync(
      process.execPath,
      [freshBundle('cli'), '--format', 'json', '--fail-on', 'never', FIXTURES],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    expect(all.status).toBe(0);
    expect(all.stderr).not.toContain('internal error');
    const report = JSON.parse(all.stdout) as Report;
    expect(report.findings.some((f) => f.rule === 'parse-error')).toBe(true);
    expect(report.routes.length).toBeGreaterThan(40);
  });
});

describe('npm run bench without a corpus', () => {
  it('says how to point it at one and exits 2, without a stack trace', () => {
    const bench = spawnSync(
      process.execPath,
      ['scripts/bench.mjs', '--corpus', join(FIXTURES, 'no-such-corpus')],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(bench.status).toBe(2);
    expect(bench.stdout).toBe('');
    const lines = bench.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      `bench: no corpus manifest at ${join(FIXTURES, 'no-such-corpus', 'bulk', 'MANIFEST.tsv')}`,
    );
    expect(lines).toContain('usage: npm run bench [-- --corpus DIR]');
    expect(bench.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints its usage with --help, and says in one line which manifest line is malformed', () => {
    const help = spawnSync(process.execPath, ['scripts/bench.mjs', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('bulk/MANIFEST.tsv');
    const corpus = mkdtempSync(join(tmpdir(), 'crg-bench-corpus-'));
    mkdirSync(join(corpus, 'bulk'));
    writeFileSync(join(corpus, 'bulk', 'MANIFEST.tsv'), 'file\trepo\tpath\nx.yml\n');
    const bad = spawnSync(process.execPath, ['scripts/bench.mjs', '--corpus', corpus], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, BENCH_SIZES: '', BENCH_WORKER_FILES: '0' },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      `bench: ${join(corpus, 'bulk', 'MANIFEST.tsv')}: line 2 needs file, repository and path, tab-separated`,
    );
  });
});
