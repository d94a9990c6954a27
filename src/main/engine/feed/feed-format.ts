/**
 * The kernel feed's layout (docs/design.md §12): a TUF repository whose kernel targets carry custom fields.
 * Shared by the publisher (`npm run feed`) and the client (`check-update`, `update`).
 */
import * as z from 'zod/mini';
import type { Arch } from '../../../shared/types';

export type Channel = 'stable' | 'preview';
export const CHANNELS: readonly Channel[] = ['stable', 'preview'];

/** Target files live under this folder of the feed; metadata sits at its top. */
export const TARGETS_FOLDER = 'targets';

/** The target path of a kernel, and of its optional modules VHD. */
export function kernelTargetPath(arch: Arch, version: string): string {
  return `kernels/${arch}/${version}/kernel`;
}
export function modulesTargetPath(arch: Arch, version: string): string {
  return `kernels/${arch}/${version}/modules.vhd`;
}

/** The `custom` object of a kernel target, as signed by the publisher. */
export const kernelCustom = z.object({
  kind: z.literal('kernel'),
  version: z.string().check(z.regex(/^\d+(\.\d+){1,5}$/)),
  release: z.string().check(z.maxLength(256)),
  arch: z.enum(['x64', 'arm64']),
  channel: z.enum(['stable', 'preview']),
  /** Target path of the modules VHD published with this kernel. */
  modules: z.optional(z.string().check(z.maxLength(512))),
  /** Release notes, shown before installing. */
  notes: z.optional(z.string().check(z.maxLength(4000))),
});
export type KernelCustom = z.infer<typeof kernelCustom>;

/** Metadata lifetimes in days: the timestamp is re-signed often, so a frozen mirror is noticed soon. */
export const DEFAULT_EXPIRY_DAYS = { root: 365, targets: 90, snapshot: 30, timestamp: 7 } as const;

/** TUF's date format: whole seconds, UTC. */
export function tufDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
