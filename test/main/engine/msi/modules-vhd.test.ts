/** The modules disk check: VHD footers (fixed, dynamic), VHDX signatures, and damaged disks. */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelSetupError } from '../../../../src/shared/errors';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { inspectModulesVhd } from '../../../../src/main/engine/msi/modules-vhd';
import { fixedVhd } from '../../../helpers/wsl-packages';

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'wslk-vhd-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function check(name: string, data: Buffer) {
  const p = join(dir, name);
  await fsp.writeFile(p, data);
  return inspectModulesVhd(nodeFs, p);
}

async function refused(name: string, data: Buffer, why: RegExp) {
  const err = await check(name, data).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(KernelSetupError);
  expect((err as KernelSetupError).code).toBe('invalid-modules-vhd');
  expect((err as Error).message).toMatch(why);
}

/** Re-seal a footer after editing it. */
function reseal(vhd: Buffer): Buffer {
  const f = vhd.subarray(vhd.length - 512);
  let sum = 0;
  for (let i = 0; i < 512; i++) if (i < 64 || i >= 68) sum += f[i]!;
  f.writeUInt32BE(~sum >>> 0, 64);
  return vhd;
}

describe('modules.vhd', () => {
  it('a fixed VHD larger than one read chunk: size and hash of the whole file', async () => {
    const vhd = fixedVhd(3 * 1024 * 1024 + 777);
    const r = await check('fixed.vhd', vhd);
    expect(r).toMatchObject({ size: vhd.length, format: 'vhd', sha256: createHash('sha256').update(vhd).digest('hex') });
  });

  it('a dynamic VHD (disk type 3) and a VHDX are accepted', async () => {
    const dynamic = fixedVhd(4096);
    dynamic.writeUInt32BE(3, dynamic.length - 512 + 60);
    expect((await check('dynamic.vhd', reseal(dynamic))).format).toBe('vhd');
    const vhdx = Buffer.concat([Buffer.from('vhdxfile'), Buffer.alloc(70_000, 1)]);
    expect((await check('disk.vhdx', vhdx)).format).toBe('vhdx');
  });

  it('refuses a disk without a footer, a footer failing its checksum, an unknown disk type, a tiny file', async () => {
    await refused('none.vhd', Buffer.alloc(10_000, 7), /no VHD footer/);
    const flipped = fixedVhd(4096);
    flipped[flipped.length - 512 + 45]! ^= 1;
    await refused('flip.vhd', flipped, /checksum/);
    const type = fixedVhd(4096);
    type.writeUInt32BE(9, type.length - 512 + 60);
    await refused('type.vhd', reseal(type), /disk type 9/);
    await refused('tiny.vhd', Buffer.from('conectix'), /only 8 bytes/);
  });
});
