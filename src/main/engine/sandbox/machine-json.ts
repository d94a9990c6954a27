/**
 * The sandbox's `machine.json` (docs/design.md §3.1): process facts, the WSL distributions and what
 * runs, the kernels that do not boot, the scheduled task. Read on every use (tests and people edit it
 * by hand), written atomically.
 */
import * as z from 'zod/mini';
import { KernelSetupError } from '../../../shared/errors';
import { writeFileAtomic } from '../machine/atomic-write';
import { READ_LIMITS, readRegularFile } from '../machine/bounded-read';
import type { Fs } from '../machine/fs-port';

const machineJson = z.looseObject({
  elevated: z.optional(z.boolean()),
  freeBytes: z.optional(z.number().check(z.nonnegative())),
  user: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  wsl: z.optional(
    z.looseObject({
      running: z.optional(z.array(z.string().check(z.maxLength(256)))),
      shutdowns: z.optional(z.number().check(z.int(), z.nonnegative())),
      /** Installed distributions (default: those running). */
      distributions: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(256)))),
      /** sha256 of a kernel that does not boot -> the error text WSL prints when it tries. */
      failingKernels: z.optional(z.record(z.string().check(z.regex(/^[0-9a-fA-F]{64}$/)), z.string().check(z.maxLength(4096)))),
      /** The release of the kernel the running WSL booted; null or absent when WSL is not running. */
      runningRelease: z.optional(z.nullable(z.string().check(z.maxLength(256)))),
      /** How many times WSL started its VM. */
      boots: z.optional(z.number().check(z.int(), z.nonnegative())),
    }),
  ),
  scheduledTask: z.optional(z.looseObject({ name: z.string(), command: z.string(), arguments: z.string() })),
});
export type MachineJson = z.infer<typeof machineJson>;

export async function readMachineJson(fs: Fs, path: string): Promise<MachineJson> {
  let raw: Buffer;
  try {
    raw = await readRegularFile(fs, path, { code: 'invalid-machine', what: 'machine.json', maxBytes: READ_LIMITS.json });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new KernelSetupError('invalid-machine', `machine.json is not valid JSON: ${(err as Error).message}.`, { path });
  }
  const parsed = machineJson.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KernelSetupError('invalid-machine', `machine.json: ${issue?.path.join('.') || 'top level'}: ${issue?.message}.`, { path });
  }
  return parsed.data;
}

/** Replace machine.json atomically (temp, flush, rename). */
export async function writeMachineJson(fs: Fs, path: string, data: Record<string, unknown>): Promise<void> {
  await writeFileAtomic(fs, path, Buffer.from(JSON.stringify(data, null, 2) + '\n'));
}
