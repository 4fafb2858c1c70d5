import { describe, expect, it } from '@jest/globals';
import { rankFindings, workflowCommand } from '../src/report/github.js';
import type { Finding } from '../src/types.js';

const at = { line: 3, column: 5, endLine: 3, endColumn: 9 };

function finding(rule: string, severity: Finding['severity'], file: string): Finding {
  return { rule, severity, confidence: 'high', file, span: at, message: `${rule} in ${file}` };
}

describe('an annotation’s place', () => {
  it('has columns when the finding is on one line', () => {
    expect(workflowCommand(finding('unbounded-spend', 'notice', 'w.yml'))).toBe(
      '::notice file=w.yml,line=3,endLine=3,col=5,endColumn=9,title=claude-route-guard%3A unbounded-spend::unbounded-spend in w.yml',
    );
  });

  it('has only lines when the finding spans several, since GitHub ignores columns across lines', () => {
    const f = { ...finding('shadowed-credential', 'warning', 'w.yml'), span: { ...at, endLine: 6 } };
    expect(workflowCommand(f)).toBe(
      '::warning file=w.yml,line=3,endLine=6,title=claude-route-guard%3A shadowed-credential::shadowed-credential in w.yml',
    );
  });
});

describe('the order annotations are spent in', () => {
  const files = (ranked: Finding[]): string[] => ranked.map((f) => f.file);

  it('puts a route finding before an unreadable file of the same severity, whichever came first', () => {
    expect(
      files(
        rankFindings([
          finding('parse-error', 'error', 'broken.yml'),
          finding('hardcoded-credential', 'error', 'a.yml'),
        ]),
      ),
    ).toEqual(['a.yml', 'broken.yml']);
    expect(
      files(
        rankFindings([
          finding('ignore-without-reason', 'notice', 'b.yml'),
          finding('unused-ignore', 'notice', 'c.yml'),
          finding('unbounded-spend', 'notice', 'a.yml'),
        ]),
      ),
    ).toEqual(['a.yml', 'b.yml', 'c.yml']);
    expect(
      files(
        rankFindings([
          finding('unused-ignore', 'notice', 'c.yml'),
          finding('unbounded-spend', 'notice', 'a.yml'),
        ]),
      ),
    ).toEqual(['a.yml', 'c.yml']);
  });

  it('gives the first finding of each rule its annotation before any repeat', () => {
    expect(
      files(
        rankFindings([
          finding('unbounded-spend', 'notice', 'a.yml'),
          finding('unbounded-spend', 'notice', 'b.yml'),
          finding('unused-credential', 'notice', 'c.yml'),
          finding('unused-credential', 'notice', 'd.yml'),
        ]),
      ),
    ).toEqual(['a.yml', 'c.yml', 'b.yml', 'd.yml']);
  });

  it('keeps the order findings were found in when they rank alike', () => {
    expect(
      files(
        rankFindings([
          finding('unbounded-spend', 'notice', 'a.yml'),
          finding('subscription-token-in-ci', 'error', 'b.yml'),
          finding('unused-credential', 'notice', 'c.yml'),
          finding('shadowed-credential', 'warning', 'd.yml'),
          finding('hardcoded-credential', 'error', 'e.yml'),
        ]),
      ),
    ).toEqual(['b.yml', 'e.yml', 'd.yml', 'a.yml', 'c.yml']);
  });
});
