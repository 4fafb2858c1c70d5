// Preloaded with `node --import` into a measured process: prints its peak RSS, as the OS counts it
// (getrusage), when the process exits, so the bench sees the whole process and not the heap at exit.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_RSS ${process.resourceUsage().maxRSS * 1024}\n`);
});
