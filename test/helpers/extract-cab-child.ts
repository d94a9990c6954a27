/**
 * Child process for the streaming test: extracts the largest entry of a cabinet with the product's
 * reader into a folder and prints what it cost ({ path, size, ms, maxRssMiB: peak resident memory }).
 */
import * as fsp from 'node:fs/promises';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { folderCompression, parseCabinet } from '../../src/main/engine/msi/cabinet';
import { extractCabEntry } from '../../src/main/engine/msi/extract-kernel';

async function main(): Promise<void> {
  const [cabPath, outDir] = process.argv.slice(2);
  const started = Date.now();
  const cab = parseCabinet(await fsp.readFile(cabPath!));
  const entry = [...cab.files].sort((a, b) => b.size - a.size)[0]!;
  const path = await extractCabEntry(nodeFs, cab, entry, folderCompression(cab, entry.folder, 'test.cab'), outDir!, 'modules');
  const size = (await fsp.stat(path)).size;
  // VmHWM is this process image's own peak; getrusage's maxRSS would carry the parent's over exec.
  const hwm = /VmHWM:\s+(\d+) kB/.exec(await fsp.readFile('/proc/self/status', 'utf8').catch(() => ''))?.[1];
  const peakKiB = hwm ? Number(hwm) : process.resourceUsage().maxRSS;
  console.log(JSON.stringify({ path, size, ms: Date.now() - started, maxRssMiB: Math.round(peakKiB / 1024) }));
}

void main();
