// Preloaded by the benchmark: prints the process's peak resident set size when it exits.
process.on('exit', () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`));
