import type { Finding } from '../types.js';

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A workflow command that GitHub turns into an annotation at the finding's exact position. */
export function workflowCommand(f: Finding): string {
  const command = f.severity === 'notice' ? 'notice' : f.severity;
  const props = [
    `file=${escapeProperty(f.file)}`,
    `line=${f.span.line}`,
    `endLine=${f.span.endLine}`,
    ...(f.span.line === f.span.endLine ? [`col=${f.span.column}`, `endColumn=${f.span.endColumn}`] : []),
    `title=${escapeProperty(`claude-route-guard: ${f.rule}`)}`,
  ];
  return `::${command} ${props.join(',')}::${escapeData(f.message)}`;
}

export function formatGithub(findings: Finding[]): string {
  return findings.map(workflowCommand).join('\n');
}
