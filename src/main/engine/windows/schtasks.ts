/**
 * Scheduled tasks through schtasks.exe (docs/design.md §12): created from a Task Scheduler XML file, queried
 * as XML (element names are not localized, unlike schtasks' table output), deleted by name.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { ScheduledTasks } from '../machine/machine';
import type { Runner } from './exec';

const TIMEOUT_MS = 30_000;

function decode(buf: Buffer): string {
  // schtasks /XML prints UTF-16LE on some systems: a byte order mark, or NULs every other byte, tell.
  const bom = buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe;
  const utf16 = bom || (buf.length > 3 && buf[1] === 0 && buf[3] === 0);
  return (utf16 ? buf.toString('utf16le') : buf.toString('utf8')).replace(/^\uFEFF/, '');
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export function createScheduledTasks(schtasksExe: string, run: Runner): ScheduledTasks {
  return {
    async query(name) {
      const r = await run(schtasksExe, ['/Query', '/TN', name, '/XML'], TIMEOUT_MS);
      if (r.code !== 0) return null; // does not exist (the message is localized; the exit code is not)
      const xml = decode(r.stdout);
      const command = /<Command>([\s\S]*?)<\/Command>/.exec(xml)?.[1];
      const args = /<Arguments>([\s\S]*?)<\/Arguments>/.exec(xml)?.[1] ?? '';
      return command ? { name, command: unescapeXml(command), arguments: unescapeXml(args) } : null;
    },
    async create(task, xml) {
      const dir = await mkdtemp(join(tmpdir(), 'wslk-task-'));
      try {
        const file = join(dir, 'task.xml');
        // Task Scheduler reads task XML as UTF-16 with a BOM.
        await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
        const r = await run(schtasksExe, ['/Create', '/TN', task.name, '/XML', file, '/F'], TIMEOUT_MS);
        if (r.code !== 0) throw new KernelSetupError('io-error', `schtasks.exe could not create the task ${task.name} (exit code ${r.code ?? 'none'}): ${decode(r.stderr).trim()}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async remove(name) {
      const exists = await run(schtasksExe, ['/Query', '/TN', name], TIMEOUT_MS);
      if (exists.code !== 0) return;
      const r = await run(schtasksExe, ['/Delete', '/TN', name, '/F'], TIMEOUT_MS);
      if (r.code !== 0) throw new KernelSetupError('io-error', `schtasks.exe could not delete the task ${name} (exit code ${r.code ?? 'none'}).`);
    },
  };
}
