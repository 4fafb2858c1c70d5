import type { RuleTraits } from './rule.js';

/*
 * Findings the engine itself reports, about what it could not read and about the ignores and allow entries
 * that suppress the rules' findings. They have the traits of any rule and no check: the scan's passes
 * report them. Each can be ignored inline, but has no policy of its own but its severity.
 */

export const parseError: RuleTraits = {
  id: 'parse-error',
  severity: 'error',
  summary: 'The file cannot be read as a workflow or action metadata.',
  silencedByAllow: false,
  annotation: 'file',
  reach: 'own-lines',
  confidence: 'fact',
};

export const ignoreWithoutReason: RuleTraits = {
  id: 'ignore-without-reason',
  severity: 'notice',
  summary: 'An inline ignore comment that does not say why.',
  silencedByAllow: false,
  annotation: 'file',
  reach: 'none',
  confidence: 'fact',
};

export const unusedIgnore: RuleTraits = {
  id: 'unused-ignore',
  severity: 'notice',
  summary: 'An inline ignore comment that matches no finding.',
  silencedByAllow: false,
  annotation: 'file',
  reach: 'none',
  confidence: 'fact',
};

export const malformedIgnore: RuleTraits = {
  id: 'malformed-ignore',
  severity: 'notice',
  summary:
    'An inline ignore comment written so that it suppresses nothing: no brackets, or an unknown rule id.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'none',
  confidence: 'fact',
};

export const unusedAllow: RuleTraits = {
  id: 'unused-allow',
  severity: 'notice',
  summary: 'A policy allow entry that matches no Claude run: a renamed job, a changed route or a wrong path.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'fact',
};
