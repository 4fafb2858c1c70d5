import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../src/scan.js';
import { describeWithCorpus, rebuildBulk } from './corpus.js';
import { CORPUS, FIXTURES, ROOT, scanAt } from './helpers.js';

/** Files that hold a Claude run (directly, or as the wrapper a run comes through). */
function filesWithRuns(report: Report): Set<string> {
  const files = new Set<string>();
  for (const r of report.routes) {
    files.add(r.file);
    if (r.via) files.add(r.via.file);
  }
  return files;
}

describeWithCorpus('the bulk corpus, rebuilt into its projects’ trees', () => {
  const { root, projects } = rebuildBulk();
  const reports = new Map(projects.map((p) => [p, scanAt(join(root, p), [])]));

  it('scans all 16 projects without a crash, every finding inside a scanned file', () => {
    expect(projects).toHaveLength(16);
    for (const [, report] of reports) {
      for (const f of report.findings) expect(f.span.line).toBeGreaterThanOrEqual(1);
    }
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
      const withRuns = filesWithRuns(report);
      const noisy = report.findings
        .filter((f) => !withRuns.has(f.file))
        .map((f) => `${project}/${f.file}:${f.span.line} ${f.rule}`);
      expect(noisy).toEqual([]);
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

  it('reports nothing in files without a Claude run', () => {
    const withRuns = filesWithRuns(report);
    expect(
      report.findings.filter((f) => !withRuns.has(f.file)).map((f) => `${f.file}:${f.span.line} ${f.rule}`),
    ).toEqual([]);
  });

  it('never crashes the bundled CLI on any file of the whole corpus', () => {
    const all = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'cli', 'index.js'),
        '--format',
        'json',
        '--fail-on',
        'never',
        real,
        join(CORPUS, 'bulk'),
      ],
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
      [join(ROOT, 'dist', 'cli', 'index.js'), '--format', 'json', '--fail-on', 'never', FIXTURES],
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
    expect(bench.stderr.trim().split('\n')).toEqual([
      `bench: no corpus at ${join(FIXTURES, 'no-such-corpus')}: it needs DIR/real and DIR/bulk with workflow files; point at one with npm run bench -- --corpus DIR`,
    ]);
  });
});
