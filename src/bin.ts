import { internalErrorText, runCli } from './cli.js';

// A reader that stops early (`| head`) closes the pipe: that ends the output, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') internalError(error);
  process.exit();
});

// The bin's own entry: it runs whenever Node loads it, so no main-module check can be fooled by the
// symlinks, shims and wrappers that npm, npx and pre-commit put between the user and this file.
try {
  const code = runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    ...(process.stdout.isTTY ? { tty: { columns: process.stdout.columns } } : {}),
    stdout: (t) => process.stdout.write(t.endsWith('\n') || t === '' ? t : t + '\n'),
    write: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t + '\n'),
    ...(process.stderr.isTTY ? { progress: (t: string) => process.stderr.write(t) } : {}),
    // Touched only when a subcommand reads `-`: opening stdin can keep the process waiting on it.
    stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
  });
  // --resolve-remote and the subcommands that wait for the GitHub API or standard input make it a promise.
  if (typeof code === 'number') process.exitCode = code;
  else code.then((c) => (process.exitCode = c), internalError);
} catch (error) {
  internalError(error);
}

function internalError(error: unknown): void {
  process.stderr.write(internalErrorText(error) + '\n');
  process.exitCode = 2;
}
