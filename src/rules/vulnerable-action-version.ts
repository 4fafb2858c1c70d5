import { compareVersions, parseVersion, type Version } from '../flow/action-versions.js';
import type { Draft, Rule, RoutedInvocation } from './rule.js';
import { jobName } from './rule.js';

/** Published advisories of anthropics/claude-code-action, by the first release that fixes each. */
const ADVISORIES = [
  {
    name: 'GHSA-8q5r-mmjf-575q',
    what: 'an MCP configuration in a pull request can run code and read the job’s secrets',
    fixedIn: 'v1.0.74',
  },
  {
    name: 'the bot-actor permission bypass',
    what: 'a bot account can pass the check that only people with write access trigger Claude',
    fixedIn: 'v1.0.94',
  },
] as const;

function openAdvisories(version: Version): (typeof ADVISORIES)[number][] {
  return ADVISORIES.filter((a) => compareVersions(version, parseVersion(a.fixedIn)!) < 0);
}

function draft(inv: RoutedInvocation, version: Version, shown: string): Draft | undefined {
  const open = openAdvisories(version);
  const last = open.at(-1);
  if (!last) return undefined;
  // The action's own `uses:` line, also when a wrapper's caller holds the row.
  const at = inv.inner ?? inv;
  const uses = at.label.includes(shown) ? at.label : `${at.label} (${shown})`;
  const advisories = open.map((a) => `${a.name} (${a.what}; fixed in ${a.fixedIn})`).join(', and ');
  return {
    file: at.file,
    span: at.span,
    invocation: inv,
    message: `${jobName(inv)} runs ${uses}, a release with published advisories: ${advisories}. Update to ${last.fixedIn} or later, or \`@v1\`.`,
  };
}

export const vulnerableActionVersion: Rule = {
  id: 'vulnerable-action-version',
  severity: 'warning',
  summary:
    'A release of anthropics/claude-code-action with a published advisory, and the first that fixes it.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  // The release is read from the ref the files pin (a tag, or a commit through the table): a fact.
  confidence: 'fact',
  check({ invocations }) {
    return invocations.flatMap((inv) => {
      const release = inv.release;
      if (release?.known !== 'version') return [];
      return draft(inv, release.version, release.shown) ?? [];
    });
  },
};
