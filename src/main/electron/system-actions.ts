/**
 * The two things the app may ask Windows to do for a failed pre-check: open an allow-listed
 * Settings page (shell.openExternal) and restart the computer (shutdown.exe). Windows only.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { shell } from 'electron';
import { KernelSetupError } from '../../shared/errors';
import { SETTINGS_PAGES } from '../../shared/remedies';

const ALLOWED = new Set<string>(Object.values(SETTINGS_PAGES));

/** Refuse anything but the allow-listed ms-settings: pages, whatever asks. */
export async function openSettingsUri(uri: string, open: (uri: string) => Promise<void> = (u) => shell.openExternal(u)): Promise<void> {
  if (!ALLOWED.has(uri)) throw new KernelSetupError('usage', `Refused to open ${uri}: only Windows Settings pages of the allow-list are opened.`);
  await open(uri);
}

export function restartWindows(): Promise<void> {
  const exe = join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'shutdown.exe');
  return new Promise((resolve, reject) => {
    execFile(exe, ['/r', '/t', '0'], { windowsHide: true }, (err) => (err ? reject(new KernelSetupError('io-error', `Windows could not be restarted: ${err.message}`)) : resolve()));
  });
}

export function systemActions(): { openSettingsPage(uri: string): Promise<void>; restartWindows(): Promise<void> } | undefined {
  if (process.platform !== 'win32') return undefined;
  return { openSettingsPage: (uri) => openSettingsUri(uri), restartWindows };
}
