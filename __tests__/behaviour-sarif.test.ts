import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import type { Log, Run } from 'sarif';
import { formatSarif, sarifOutput } from '../src/report/sarif.js';
import type { Report } from '../src/scan.js';
import type { Finding } from '../src/types.js';
import { scanBehaviour } from './behaviour.js';

const run = (text: string): Run => (JSON.parse(text) as Log).runs[0]!;
const gzipped = (text: string): number => gzipSync(text).length;
const at = { line: 8, column: 32, endLine: 8, endColumn: 70 };

/** A finding of a workflow, as the engine reports it, with a message of our choice. */
function finding(overrides: Partial<Finding>): Finding {
  return {
    rule: 'unbounded-spend',
    severity: 'notice',
    confidence: 'high',
    file: '.github/workflows/review.yml',
    span: at,
    message: 'a message',
    ...overrides,
  };
}

function reportOf(findings: Finding[]): Report {
  return { version: 1, routes: [], findings, skipped: [], unresolved: [], files: 1, notParsed: 0 };
}

describe('the SARIF file GitHub code scanning reads', () => {
  it('is SARIF 2.1.0 from claude-route-guard, with the version given and a run that completed', () => {
    const log = JSON.parse(formatSarif(scanBehaviour('subscription-review.yml'), '9.8.7')) as Log;
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const { name, version, informationUri } = log.runs[0]!.tool.driver;
    expect({ name, version, informationUri }).toEqual({
      name: 'claude-route-guard',
      version: '9.8.7',
      informationUri: 'https://github.com/claude-route-guard/claude-route-guard',
    });
    expect(log.runs[0]!.invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  it('describes a rule in the words code scanning shows: summary, full text, help with a docs link', () => {
    const rule = run(formatSarif(scanBehaviour('subscription-review.yml'), '1')).tool.driver.rules!.find(
      (r) => r.id === 'subscription-token-in-ci',
    )!;
    const summary =
      'The credential that wins is (or may be) a subscription OAuth token: a person’s plan pays for CI.';
    const docs =
      'https://github.com/claude-route-guard/claude-route-guard/blob/main/docs/rules/subscription-token-in-ci.md';
    expect(rule.shortDescription).toEqual({ text: summary });
    expect(rule.fullDescription).toEqual({ text: `${summary} See ${docs}.` });
    expect(rule.help).toEqual({ text: `${summary} ${docs}`, markdown: `${summary} [Docs](${docs})` });
  });

  it('gives each result the index of its rule’s descriptor', () => {
    const log = run(formatSarif(scanBehaviour('subscription-review.yml'), '1'));
    expect(log.results!.map((r) => [r.ruleId, log.tool.driver.rules![r.ruleIndex!]!.id])).toEqual([
      ['subscription-token-in-ci', 'subscription-token-in-ci'],
    ]);
  });

  it('quotes a message of exactly 2,000 characters whole, without an ellipsis', () => {
    const message = 'm'.repeat(2000);
    const results = run(formatSarif(reportOf([finding({ message })]), '1')).results!;
    expect(results[0]!.message.text).toBe(message);
  });

  it('leaves out findings about the runner itself, which have no place in a file, and says nothing of them', () => {
    const runner = finding({
      rule: 'runtime-stored-login',
      severity: 'error',
      file: '',
      span: { line: 0, column: 0, endLine: 0, endColumn: 0 },
      message: 'A stored login on the runner',
    });
    const output = sarifOutput(reportOf([runner, finding({ message: 'in the file' })]), '1');
    expect(output.left).toBeUndefined();
    const log = run(output.text);
    expect(log.results!.map((r) => r.message.text)).toEqual(['in the file']);
    expect(log.invocations![0]!.toolExecutionNotifications).toEqual([]);
  });

  it('points at a remote callee by its absolute URL, on github.com or a server over plain http', () => {
    const remote = 'https://github.com/o/r/blob/v1/.github/workflows/w.yml#L3';
    const enterprise = 'http://ghes.example/o/r/blob/v1/.github/workflows/w.yml#L4';
    const related = [
      { file: remote, span: at, label: 'the place in the remote callee' },
      { file: enterprise, span: at, label: 'the place in the remote callee' },
      { file: '.github/workflows/review.yml', span: at, label: 'the Claude run it bills' },
    ];
    const result = run(formatSarif(reportOf([finding({ related })]), '1')).results![0]!;
    expect(result.relatedLocations!.map((l) => l.physicalLocation!.artifactLocation)).toEqual([
      { uri: remote },
      { uri: enterprise },
      { uri: '.github/workflows/review.yml', uriBaseId: '%SRCROOT%' },
    ]);
  });

  it('has no related locations for a finding that names no other place', () => {
    const result = run(formatSarif(reportOf([finding({})]), '1')).results![0]!;
    expect(result).not.toHaveProperty('relatedLocations');
  });
});

describe('a SARIF file over GitHub’s 10 MB gzip limit', () => {
  /** Twelve errors and twelve notices, one pair per job. */
  const many = (): Report => scanBehaviour('many-findings.yml');

  it('is uploaded whole when it is exactly at the limit', () => {
    const report = many();
    const whole = sarifOutput(report, '1', Infinity);
    expect(sarifOutput(report, '1', gzipped(whole.text))).toEqual({ text: whole.text });
  });

  it('loses its least severe results first, stays within the limit, and says how many it left out', () => {
    const report = many();
    const placed = report.findings.length;
    const limit = gzipped(sarifOutput(report, '1', Infinity).text) - 1;
    const output = sarifOutput(report, '1', limit);
    expect(gzipped(output.text)).toBeLessThanOrEqual(limit);
    const kept = run(output.text).results!;
    const errors = report.findings.filter((f) => f.severity === 'error').length;
    // Every error stays; some notices go.
    expect(kept.length).toBeLessThan(placed);
    expect(kept.length).toBeGreaterThanOrEqual(errors);
    expect(kept.slice(0, errors).every((r) => r.level === 'error')).toBe(true);
    const note = `${placed - kept.length} of ${placed} results are left out: GitHub takes at most 10 MB of SARIF, gzip-compressed, and the least severe went first. The job summary and --format json list them all.`;
    expect(output.left).toEqual({ count: placed - kept.length, note });
    // The upload says so itself, as a warning of the run.
    expect(run(output.text).invocations![0]!.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: note } },
    ]);
  });

  it('keeps no result at all when not even the rules fit, and says every result is left out', () => {
    const report = many();
    const placed = report.findings.length;
    const output = sarifOutput(report, '1', 100);
    expect(run(output.text).results).toEqual([]);
    expect(output.left).toEqual({
      count: placed,
      note: `${placed} of ${placed} results are left out: GitHub takes at most 10 MB of SARIF, gzip-compressed, and the least severe went first. The job summary and --format json list them all.`,
    });
  });
});
