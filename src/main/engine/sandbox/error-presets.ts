/**
 * Presets for the errors users paste (docs/design.md §13) that no other preset shows: store WSL
 * whose own kernel file is gone (`CreateVm/HCS/ERROR_FILE_NOT_FOUND`), and a `.wslconfig` kernel
 * that is a `vmlinux` ELF file instead of a bzImage (`HCS_E_CONNECTION_TIMEOUT`).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Preset } from './preset-type';
import { SANDBOX_USER, STORE_WSL, inSandbox, writeStoreWsl, writeUserWslConfig } from './store-presets';

const reg = { build: 22631, ubr: 4460, store: true } as const;
const json = { user: SANDBOX_USER.name, wsl: { running: [], distributions: ['Ubuntu'], shutdowns: 0 } };

/** Where the vmlinux preset puts its file. */
export const VMLINUX_PATH = 'C:\\kernels\\custom\\vmlinux';

/** The start of an x86-64 ELF executable (what `make` leaves as vmlinux), then padding: not bootable by WSL. */
function vmlinuxBytes(): Buffer {
  const b = Buffer.alloc(256 * 1024);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(b, 0);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x3e, 18); // EM_X86_64
  b.write('Linux version 6.6.36.3-custom (builder@host) #1 SMP', 0x1000, 'ascii');
  return b;
}

export const errorPresets: Record<string, Preset> = {
  'store-kernel-missing': {
    description: `store WSL ${STORE_WSL.version} whose own tools\\kernel was deleted (WSL fails with CreateVm/HCS/ERROR_FILE_NOT_FOUND)`,
    reg,
    json,
    setup: async (root) => {
      await writeStoreWsl(root);
      await rm(join(inSandbox(root, STORE_WSL.installLocation), 'tools', 'kernel'));
    },
  },
  'store-vmlinux': {
    description: `store WSL; .wslconfig kernel= names ${VMLINUX_PATH}, an ELF vmlinux instead of a bzImage (the VM never answers: HCS_E_CONNECTION_TIMEOUT)`,
    reg,
    json,
    setup: async (root) => {
      await writeStoreWsl(root);
      const path = inSandbox(root, VMLINUX_PATH);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, vmlinuxBytes());
      await writeUserWslConfig(root, ['[wsl2]', `kernel=${VMLINUX_PATH.replace(/\\/g, '\\\\')}`, ''].join('\r\n'));
    },
  },
};
