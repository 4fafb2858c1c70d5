// Tags a release: `vX.Y.Z` (package.json's version) on the commit checked out, and moves the major line
// `vX` to it, so `uses: claude-route-guard/claude-route-guard@v0` and pre-commit's `rev: v0.1.0` resolve.
//   node scripts/release.mjs VERSION [REMOTE]
// VERSION must equal package.json's version: the maintainer types it to confirm what is released. A release
// tag that exists on another commit is refused (a release never moves); the major tag always moves.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [version, remote = 'origin'] = process.argv.slice(2);
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const fail = (message) => {
  console.error(`release: ${message}`);
  process.exit(1);
};

const own = JSON.parse(readFileSync('package.json', 'utf8')).version;
if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) fail(`give the version to release, such as ${own}`);
if (version !== own) fail(`package.json says ${own}, not ${version}: raise the version first`);
if (git('status', '--porcelain', '--untracked-files=no') !== '') fail('the checkout has uncommitted changes');

const head = git('rev-parse', 'HEAD');
const tag = `v${version}`;
const major = `v${version.split('.')[0]}`;
const existing = git('ls-remote', '--tags', remote, `refs/tags/${tag}`, `refs/tags/${tag}^{}`)
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split('\t'));
// An annotated tag is listed twice: the tag object, and (with ^{}) the commit it points at.
const tagged = (existing.find(([, ref]) => ref.endsWith('^{}')) ?? existing[0])?.[0];
if (tagged !== undefined && tagged !== head)
  fail(`${tag} already exists on ${tagged.slice(0, 12)}, not on HEAD`);

if (tagged === undefined) {
  git('tag', '--annotate', '--force', tag, '--message', `claude-route-guard ${tag}`, head);
  git('push', '--quiet', remote, `refs/tags/${tag}`);
}
git('tag', '--annotate', '--force', major, '--message', `claude-route-guard ${major}: ${tag}`, head);
git('push', '--quiet', '--force', remote, `refs/tags/${major}`);
console.log(`release: ${tag} and ${major} point at ${head}`);
