import { runCli } from './cli.js';

// The bin's own entry: it runs whenever Node loads it, so no main-module check can be fooled by the
// symlinks, shims and wrappers that npm, npx and pre-commit put between the user and this file.
try {
  process.exitCode = runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t.endsWith('\n') || t === '' ? t : t + '\n'),
    stderr: (t) => process.stderr.write(t + '\n'),
  });
} catch (error) {
  process.stderr.write(`claude-route-guard: internal error: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
