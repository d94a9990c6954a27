/**
 * `npm run payload -- <kernel file>`: import a kernel into `assets/payload` for packaging.
 *
 * The file is read with the engine's own kernel reader, so the version, release, architecture and
 * hash in `manifest.json` are the file's, never typed by hand; the app and the CLI check every
 * field of that manifest against the file again before they install it.
 */
import { copyFile, open, rename, rm } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { ERRORS, KernelSetupError } from '../../src/shared/errors';
import type { Arch } from '../../src/shared/types';
import { writeFileAtomic } from '../../src/main/engine/machine/atomic-write';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { isDemoRelease } from '../../src/main/engine/sandbox/kernel-builder';
import { inspectKernel } from '../../src/main/engine/kernel/kernel-image';
import { resolvePayload } from '../../src/main/engine/kernel/payload';

export interface PayloadManifest {
  version: string;
  release: string;
  arch: Arch;
  sha256: string;
}

export interface ImportResult {
  kernel: string;
  manifestPath: string;
  manifest: PayloadManifest;
  size: number;
  /** Things worth knowing that did not stop the import. */
  warnings: string[];
}

export interface ImportOptions {
  /** The kernel image to import. */
  source: string;
  /** The payload folder (`assets/payload`). */
  outDir: string;
  /** Put it in `<outDir>/<arch>/` (one folder per architecture) instead of `<outDir>/`. */
  archFolder?: boolean;
}

const IMPORT_REMEDY = 'Import a real WSL kernel image, e.g. the "kernel" file of a WSL kernel release or a Linux bzImage/Image.';

async function inspectSource(source: string) {
  const stat = await nodeFs.stat(source);
  if (!stat) throw new KernelSetupError('not-a-kernel', `${source} does not exist.`, { path: source, remedy: IMPORT_REMEDY });
  if (!stat.isFile) throw new KernelSetupError('not-a-kernel', `${source} is not a file.`, { path: source, remedy: IMPORT_REMEDY });
  const facts = await inspectKernel(nodeFs, source);
  if (isDemoRelease(facts.header.release)) {
    throw new KernelSetupError('not-a-kernel', `${source} is a generated demo kernel (${facts.header.release}), made for the sandbox only; it cannot be bundled.`, {
      path: source,
      remedy: IMPORT_REMEDY,
    });
  }
  return facts;
}

/** Copy `source` beside `target`, flush it, check its hash, then rename it over `target`. */
async function copyVerified(source: string, target: string, sha256: string): Promise<void> {
  const temp = `${target}.${process.pid}.tmp`;
  try {
    await copyFile(source, temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The source could change while it is copied: the copy must be the bytes that were inspected.
    const copied = await inspectKernel(nodeFs, temp);
    if (copied.sha256 !== sha256) {
      throw new KernelSetupError('checksum-mismatch', `${source} changed while it was copied; nothing was imported.`, { path: source });
    }
    await rename(temp, target);
    await nodeFs.syncDir(join(target, '..'));
  } finally {
    await rm(temp, { force: true });
  }
}

/** Import a kernel file into the payload folder and write its manifest. */
export async function importPayload(opts: ImportOptions): Promise<ImportResult> {
  const facts = await inspectSource(opts.source);
  const { arch, release, version } = facts.header;
  const dir = opts.archFolder ? join(opts.outDir, arch) : opts.outDir;
  await nodeFs.mkdir(dir);
  const kernel = join(dir, 'kernel');
  const manifestPath = join(dir, 'manifest.json');
  // Remove the old manifest first: a kernel without a manifest is refused by the packaging check,
  // while an old manifest beside a new kernel would only fail later, at install time.
  await rm(manifestPath, { force: true });
  await copyVerified(opts.source, kernel, facts.sha256);
  const manifest: PayloadManifest = { version, release, arch, sha256: facts.sha256 };
  await writeFileAtomic(nodeFs, manifestPath, Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  // Read the folder back exactly as the app will.
  await resolvePayload(nodeFs, dir);

  const warnings: string[] = [];
  if (!opts.archFolder && (await nodeFs.stat(join(opts.outDir, arch, 'kernel')))) {
    warnings.push(`${join(opts.outDir, arch, 'kernel')} also exists and is preferred on ${arch} machines; remove it or import with --arch-folder.`);
  }
  return { kernel, manifestPath, manifest, size: facts.size, warnings };
}

/** The human text of an import failure: code, title, message, remedy. */
export function formatImportError(err: unknown): string {
  if (err instanceof KernelSetupError) {
    const remedy = typeof err.details.remedy === 'string' ? err.details.remedy : ERRORS[err.code].remedy;
    return `error [${err.code}]: ${ERRORS[err.code].title}\n  ${err.message}\n  Remedy: ${remedy}\n`;
  }
  return `error [io-error]: ${ERRORS['io-error'].title}\n  ${err instanceof Error ? err.message : String(err)}\n  Remedy: ${ERRORS['io-error'].remedy}\n`;
}

export const USAGE = `Usage: npm run payload -- <kernel file> [--arch-folder] [--out DIR]

Imports a WSL kernel image into assets/payload (or DIR) and writes manifest.json from the file's
own header and hash. --arch-folder puts it in <DIR>/<arch>/ to bundle one kernel per architecture.
`;

/** A path relative to the working folder when it is inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** The command line: returns the process exit code (0, 1639 usage, else the error's code). */
export async function runImport(argv: string[], repoRoot: string, out: { log(text: string): void; error(text: string): void }): Promise<number> {
  let source: string | null = null;
  let outDir = join(repoRoot, 'assets', 'payload');
  let archFolder = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--arch-folder') archFolder = true;
    else if (arg === '--out' && argv[i + 1]) outDir = argv[++i]!;
    else if (arg === '--help' || arg === '-h') {
      out.log(USAGE);
      return 0;
    } else if (!arg.startsWith('-') && source === null) source = arg;
    else {
      out.error(`Unknown argument "${arg}".\n\n${USAGE}`);
      return ERRORS.usage.exitCode;
    }
  }
  if (!source) {
    out.error(`A kernel file is required.\n\n${USAGE}`);
    return ERRORS.usage.exitCode;
  }
  try {
    const r = await importPayload({ source, outDir, archFolder });
    out.log(
      `Imported ${basename(source)}: ${r.manifest.release} (${r.manifest.arch}, ${r.size} bytes)\n` +
        `  kernel:   ${shown(r.kernel)}\n  manifest: ${shown(r.manifestPath)}\n  sha256:   ${r.manifest.sha256}\n` +
        r.warnings.map((w) => `  warning:  ${w}\n`).join(''),
    );
    return 0;
  } catch (err) {
    out.error(formatImportError(err));
    return err instanceof KernelSetupError ? ERRORS[err.code].exitCode : ERRORS['io-error'].exitCode;
  }
}
