/** Reading a real `.wslconfig` file: only regular files up to 1 MiB; writing keeps the encoding. */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { loadWslConfig, readWslConfigBytes, saveWslConfig, withWsl2Paths, WSLCONFIG_MAX_BYTES } from '../../../../src/main/engine/wslconfig';
import { tempDir } from '../../../helpers/sandbox';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const refused = expect.objectContaining({ code: 'wslconfig-unreadable' });

describe('wslconfig file', () => {
  it('a missing file reads as none', async () => {
    expect(await readWslConfigBytes(join(dir, '.wslconfig'))).toBeNull();
    const cfg = await loadWslConfig(join(dir, '.wslconfig'), 'C:\\Users\\a\\.wslconfig');
    expect(cfg.exists).toBe(false);
    expect(cfg.doc.entries).toEqual([]);
  });

  it('refuses a FIFO without blocking, a device, a folder and a file over 1 MiB', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readWslConfigBytes(fifo)).rejects.toEqual(refused);
    await expect(readWslConfigBytes('/dev/zero')).rejects.toEqual(refused);
    await mkdir(join(dir, 'folder'));
    await expect(readWslConfigBytes(join(dir, 'folder'))).rejects.toEqual(refused);
    const big = join(dir, 'big');
    await writeFile(big, Buffer.alloc(WSLCONFIG_MAX_BYTES + 1, 0x23));
    await expect(readWslConfigBytes(big)).rejects.toEqual(refused);
    await writeFile(big, Buffer.alloc(WSLCONFIG_MAX_BYTES, 0x23));
    expect((await readWslConfigBytes(big))?.length).toBe(WSLCONFIG_MAX_BYTES);
  });

  it('rewrites a UTF-16LE file with its BOM and CR LF, changing only the kernel line', async () => {
    const path = join(dir, '.wslconfig');
    const text = '\ufeff[wsl2]\r\nmemory=4GB\r\nkernel=C:\\Windows\\kernel\r\n';
    await writeFile(path, Buffer.from(text, 'utf16le'));
    const cfg = await loadWslConfig(path, 'C:\\Users\\a\\.wslconfig');
    expect(cfg.decoded.encoding).toBe('utf16le-bom');
    expect(cfg.doc.warnings.map((w) => w.text)).toEqual(["Invalid escaped character: 'W' in C:\\Users\\a\\.wslconfig:3"]);
    await saveWslConfig(nodeFs, path, withWsl2Paths(cfg, { kernel: 'C:\\ProgramData\\WslKernelSetup\\boot\\kernel' }));
    expect(await readFile(path)).toEqual(Buffer.from('\ufeff[wsl2]\r\nmemory=4GB\r\nkernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel\r\n', 'utf16le'));
  });

  it('will not rewrite a file whose bytes are not valid text', async () => {
    const path = join(dir, '.wslconfig');
    await writeFile(path, Buffer.from([0x5b, 0x77, 0x73, 0x6c, 0x32, 0x5d, 0x0a, 0xff, 0x0a]));
    const cfg = await loadWslConfig(path, 'C:\\Users\\a\\.wslconfig');
    expect(cfg.decoded.clean).toBe(false);
    expect(() => withWsl2Paths(cfg, { kernel: 'C:\\k' })).toThrow(refused);
  });
});
