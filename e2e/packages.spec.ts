/**
 * "Choose another kernel file…" with Microsoft's packages: a WSL 2.x MSI inside an Update Catalog
 * style cabinet (both LZX) is recognised by content, shown with WSL's version and its modules disk,
 * and installed.
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCab } from '../test/helpers/cab-writer';
import { buildWslMsi, fixedVhd, recompressWithLzx } from '../test/helpers/wsl-packages';
import { expect, screenHeading, test } from './fixtures';

const HAVE_WIXL = !spawnSync('wixl', ['--version']).error;

test('a WSL 2.x MSI inside a .cab: shown as the kernel of that WSL release, then installed', async ({ openApp }, testInfo) => {
  test.skip(!HAVE_WIXL, 'wixl is not installed (apt-get install wixl)');
  const app = await openApp({ preset: 'installed' });
  const { page } = app;
  const kernel = await readFile(await app.kernelFile('6.6.87.2', 3));
  const files = { kernel, vhd: fixedVhd(1024 * 1024), version: '2.4.13.0' };
  const dir = testInfo.outputPath('pkg');
  const msi = await buildWslMsi(dir, files);
  const lzxMsi = join(dir, 'lzx.msi');
  await recompressWithLzx(msi, files, lzxMsi, { windowBits: 21, blocks: ['aligned', 'verbatim'] });
  // The catalog names its downloads by KB number; the name says nothing about the content.
  const cab = join(dir, 'windows10.0-kb5000000-x64_0123456789abcdef.cab');
  await writeFile(cab, writeCab([{ name: 'wsl.2.4.13.0.x64.msi', data: await readFile(lzxMsi) }], { method: 'lzx', windowBits: 21 }));

  await app.chooseFile('payload', cab);
  const card = page.getByTestId('payload');
  await expect(card).toContainText('6.6.87.2');
  await expect(page.getByTestId('payload-package')).toHaveText('The kernel of WSL 2.4.13.0, read from its installer package (in the cabinet, as wsl.2.4.13.0.x64.msi)');
  await expect(page.getByTestId('payload-modules')).toContainText('VHD, 1.0 MiB');
  await app.shot('install-09-package-cab');
  const footer = page.getByTestId('footer-bar');
  await footer.getByRole('button', { name: 'Next' }).click();
  await footer.getByRole('button', { name: 'Next' }).click();
  await footer.getByRole('button', { name: 'Update now' }).click();
  await expect(screenHeading(page)).toHaveText('Kernel 6.6.87.2 is installed');
  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, version: '6.6.87.2', size: kernel.length });
  expect(status.rollbackKernel).toMatchObject({ present: true, version: '5.15.153.1' });
});
