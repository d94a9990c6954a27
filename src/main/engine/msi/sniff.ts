/**
 * What an input file is, from its first bytes (docs/design.md §4: packages are recognised by content,
 * never by name). Kept apart from the package reader so that installing a plain kernel file never
 * loads the MSI and cabinet code.
 */
import type { Fs } from '../machine/fs-port';

export type InputKind = 'msi' | 'cab' | 'other';

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** What a file is, from its first bytes. */
export async function sniffFile(fs: Fs, path: string): Promise<InputKind> {
  const head = Buffer.alloc(8);
  const handle = await fs.open(path, 'r');
  let n: number;
  try {
    n = await handle.read(head, 0, 8, 0);
  } finally {
    await handle.close();
  }
  return kindOf(head.subarray(0, n));
}

export function kindOf(head: Uint8Array): InputKind {
  if (head.length >= 8 && CFB_MAGIC.equals(head.subarray(0, 8))) return 'msi';
  if (head.length >= 4 && Buffer.from(head.subarray(0, 4)).toString('latin1') === 'MSCF') return 'cab';
  return 'other';
}
