import type { RunRule } from './run-rule.js';

export const unprovedRun: RunRule = {
  id: 'unproved-run',
  severity: 'warning',
  // The log itself shows it holds no start message: a fact about the log, not a guess about the run.
  confidence: 'fact',
  summary: 'A route was declared for a Claude run, but its log holds no start message to check it against.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'none',
  check({ run, log, declared }) {
    // Only a log without `system/init` proves nothing at all; one that leaves a few routes open is a
    // narrower answer, and run-route-mismatch already judges what a log does prove.
    if (!declared || declared.route === 'unknown' || run.failure?.kind !== 'no-init') return [];
    return [
      {
        message:
          `${declared.declaredBy} ${declared.route}, but run ${run.run} of ${log} cannot be checked against it: ` +
          'its log holds no system/init message, so it does not say which credential Claude Code used. ' +
          'Either Claude Code stopped before it started, or the log was cut short before its first line ended. ' +
          'Read the step log, and pass the whole execution file (`--output-format stream-json --verbose`, or the ' +
          "official action's `execution_file` output).",
      },
    ];
  },
};
