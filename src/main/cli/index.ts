/** Entry point of the CLI bundle (`npm run cli`, and the packaged app's `wslk`). */
import { enableTiming, formatTimingReport, markPhase, timingEnabled } from '../engine';
import { main } from './main';

// Everything this command's start-up parsed is loaded: the first phase of the timing trace.
markPhase('cli-loaded');
const argv = process.argv.slice(2);
// `--trace-timing` (or WSLK_TRACE_TIMING=1): a breakdown on stderr, for any command (machine/timing.ts).
if (argv.includes('--trace-timing')) enableTiming();
void main(argv.filter((a) => a !== '--trace-timing')).then(() => {
  if (!timingEnabled()) return;
  markPhase('command-done');
  process.stderr.write(formatTimingReport());
});
