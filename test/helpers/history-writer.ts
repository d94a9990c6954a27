/**
 * A child process for the history rotation tests: appends numbered entries to a state folder's
 * history as the operation lock holder does (rotating past a small bound) until it is killed.
 *   node --import tsx history-writer.ts STATE_DIR MAX_BYTES FIRST_SEQ
 * Prints `wrote N` after each append; a line is never printed before its entry is written.
 */
import { appendHistory } from '../../src/main/engine/state/history';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import type { Machine } from '../../src/main/engine/machine/machine';

const [stateDir, maxBytes, first] = process.argv.slice(2);
const machine = { stateDir: stateDir!, fs: nodeFs } as Machine;
async function run(): Promise<void> {
  for (let seq = Number(first); ; seq++) {
    // Messages of varying length, so rotations land at different offsets each round.
    const message = `entry ${seq} `.padEnd(40 + (seq % 7) * 30, 'x');
    await appendHistory(machine, { id: `e${seq}`, op: 'install', at: new Date().toISOString(), ok: true, code: null, message }, { rotate: true, maxBytes: Number(maxBytes) });
    process.stdout.write(`wrote ${seq}\n`);
  }
}
void run();
