/** schtasks.exe answers: the task's XML in UTF-8, or UTF-16LE with or without its byte order mark; absent by exit code. */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../../src/main/engine/windows/exec';
import { createScheduledTasks } from '../../../../src/main/engine/windows/schtasks';

const XML = '<?xml version="1.0"?><Task><Actions><Exec><Command>C:\\Program Files\\WSL Kernel Setup\\wslk.exe</Command><Arguments>update --auto &amp; quiet</Arguments></Exec></Actions></Task>';

function tasks(stdout: Buffer, code = 0) {
  const calls: string[][] = [];
  const run = async (_file: string, args: readonly string[]): Promise<RunResult> => {
    calls.push([...args]);
    return { code, stdout, stderr: Buffer.alloc(0), notFound: false, timedOut: false };
  };
  return { t: createScheduledTasks('C:\\Windows\\System32\\schtasks.exe', run), calls };
}

describe('schtasks.exe', () => {
  const want = { name: 'T', command: 'C:\\Program Files\\WSL Kernel Setup\\wslk.exe', arguments: 'update --auto & quiet' };
  it.each([
    ['UTF-8', Buffer.from(XML, 'utf8')],
    ['UTF-16LE', Buffer.from(XML, 'utf16le')],
    ['UTF-16LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(XML, 'utf16le')])],
  ])('reads the task from its XML in %s', async (_label, out) => {
    const { t, calls } = tasks(out);
    expect(await t.query('T')).toEqual(want);
    expect(calls[0]).toEqual(['/Query', '/TN', 'T', '/XML']);
  });

  it('a task that does not exist is null (by exit code, whatever the localized message)', async () => {
    expect(await tasks(Buffer.from('ERREUR : le fichier spécifié est introuvable.'), 1).t.query('T')).toBeNull();
  });
});
