/**
 * The browser host's pickers, where the page has no native dialog: a file the user chose in the
 * page is uploaded into the host's own work folder, and a sandbox folder is named in a field. Each
 * becomes the answer of the next dialog of its kind, so the app reads it exactly as a dialog's
 * answer (the kernel is validated by the engine, the folder must be a sandbox machine folder).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { z } from 'zod';
import type { QueuedDialogs } from './queued-dialogs';

/** Kernels are tens of MiB and update packages below 100 MiB; anything far larger is refused. */
export const MAX_UPLOAD = 1024 * 1024 * 1024;

type Answer = { ok: true } | { ok: false; message: string };

const folderRequest = z.object({ path: z.string().min(1).max(4096) }).strict();

/** A file name safe to use in the work folder: the last path part, plain characters only. */
export function safeName(raw: string | undefined): string {
  let name = '';
  try {
    name = decodeURIComponent(raw ?? '');
  } catch {
    name = '';
  }
  const cleaned = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return cleaned.slice(0, 100) || 'upload';
}

export class HostPicks {
  private constructor(
    private readonly dialogs: QueuedDialogs,
    /** The host's work folder: uploads live here and go away with the host. */
    readonly workDir: string,
  ) {}

  static async create(dialogs: QueuedDialogs): Promise<HostPicks> {
    return new HostPicks(dialogs, await mkdtemp(join(tmpdir(), 'wslk-host-uploads-')));
  }

  async receive(req: IncomingMessage, kind: 'payload' | 'msi'): Promise<Answer> {
    if ((req.headers['content-type'] ?? '') !== 'application/octet-stream') return { ok: false, message: 'Send the file as application/octet-stream.' };
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > MAX_UPLOAD) return { ok: false, message: 'The file is larger than 1 GiB: that is not a kernel or an update package.' };
    // One folder per upload keeps the user's file name (the app shows it) without clashes.
    const folder = join(this.workDir, randomBytes(6).toString('hex'));
    await mkdir(folder);
    const path = join(folder, safeName(req.headers['x-file-name'] as string | undefined));
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(size > MAX_UPLOAD ? new Error('too large') : null, chunk);
      },
    });
    try {
      await pipeline(req, limit, createWriteStream(path, { flags: 'wx' }));
    } catch {
      await unlink(path).catch(() => undefined);
      return { ok: false, message: size > MAX_UPLOAD ? 'The file is larger than 1 GiB: that is not a kernel or an update package.' : 'The upload did not complete.' };
    }
    if (size === 0) {
      await unlink(path).catch(() => undefined);
      return { ok: false, message: 'The file is empty.' };
    }
    this.dialogs.queue(kind, path);
    return { ok: true };
  }

  /** A sandbox folder named in the page: refused unless it is a sandbox machine folder. */
  folder(body: unknown): Answer {
    const parsed = folderRequest.safeParse(body);
    if (!parsed.success) return { ok: false, message: 'Name a folder.' };
    const dir = parsed.data.path;
    if (!isAbsolute(dir)) return { ok: false, message: 'Give the full path of the folder (it starts with /).' };
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return { ok: false, message: `${dir} is not a folder.` };
    if (!existsSync(join(dir, 'machine.reg'))) {
      return { ok: false, message: `${dir} is not a sandbox (it has no machine.reg). Create one with: npm run cli -- sandbox init ${dir} --preset fresh` };
    }
    this.dialogs.queue('folder', dir);
    return { ok: true };
  }

  async dispose(): Promise<void> {
    await rm(this.workDir, { recursive: true, force: true });
  }
}
