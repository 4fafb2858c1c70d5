/**
 * Runs `work` with `process.env` as a plain copy. yaml's parser reads `process.env.LOG_TOKENS` once for
 * every token, and Node's own env object answers each read through a native interceptor: with a plain
 * copy the parse of the bulk corpus takes about a fifth less time. The real object is back as soon as
 * `work` returns, so nothing outside the scan (child processes, @actions/core, the runner probe, Windows'
 * case-insensitive names) ever sees the copy.
 */
export function withPlainEnv<T>(work: () => T): T {
  const real = process.env;
  process.env = { ...real };
  try {
    return work();
  } finally {
    process.env = real;
  }
}
