// Preloaded with `node -r` into a process under measurement: reports its peak
// resident memory on stderr as it exits, so the benchmark can read it.
process.on('exit', () => {
  process.stderr.write(`\nMAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
