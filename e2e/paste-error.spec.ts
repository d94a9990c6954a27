/** The repair wizard's "paste the error" box on real sandboxes: a kernel error leads to its fix; a non-kernel error says so, with its next step. */
import { expect, screenHeading, test } from './fixtures';

const DE_KERNEL_COMPONENT = 'Fehler: 0x800701BC WSL 2 erfordert ein Update seiner Kernelkomponente. Weitere Informationen finden Sie unter https://aka.ms/wsl2kernel';
const VIRTUALIZATION =
  'WSL2 is unable to start since virtualization is not enabled on this machine.\nPlease ensure the "Virtual Machine Platform" optional component is enabled and virtualization is turned on in your computer\'s firmware settings.\nError code: Wsl/Service/CreateInstance/CreateVm/HCS/HCS_E_HYPERV_NOT_INSTALLED';
const VM_TIMEOUT =
  'The operation timed out because a response was not received from the virtual machine or container.\nError code: Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT';

test('a kernel error (0x800701bc, German prose), by keyboard only: its finding first, its fix applied', async ({ openApp }) => {
  const app = await openApp({ preset: 'kernel-missing', entry: 'repair' });
  const { page } = app;
  const box = page.getByRole('textbox', { name: 'Paste the error message WSL showed' });
  await expect(box).toBeVisible();
  await expect(page.getByRole('button', { name: 'Look up this error' })).toBeDisabled();
  // Reach the box with the keyboard, paste, and look it up with Ctrl+Enter.
  for (let i = 0; i < 30 && !(await box.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(box).toBeFocused();
  await page.keyboard.insertText(DE_KERNEL_COMPONENT);
  await app.shot('paste-01-kernel-error-typed');
  await page.keyboard.press('Control+Enter');

  await expect(screenHeading(page)).toHaveText('1 problem found');
  const result = page.getByRole('region', { name: 'What your error means' });
  await expect(result).toContainText('0x800701bc');
  await expect(result).toContainText('Inbox WSL');
  const finding = page.locator('[data-finding="kernel-missing"]');
  await expect(finding.getByText('Matches your error')).toBeVisible();
  await expect(page.getByRole('radio', { name: /Put the previous kernel 5.10.102.1 back in place/ })).toBeChecked();
  await app.shot('paste-02-kernel-error-findings');

  await page.getByRole('button', { name: 'Apply the fix' }).click();
  await expect(screenHeading(page)).toHaveText('Repaired');
  expect((await app.status()).kernel).toMatchObject({ present: true, valid: true, version: '5.10.102.1' });
});

test('a non-kernel error (virtualization off): says so, with the one next step', async ({ openApp }) => {
  const app = await openApp({ preset: 'store-fresh', entry: 'repair' });
  const { page } = app;
  await page.getByRole('textbox', { name: 'Paste the error message WSL showed' }).fill(VIRTUALIZATION);
  await page.getByRole('button', { name: 'Look up this error' }).click();
  await expect(screenHeading(page)).toHaveText('Not a kernel problem');
  const result = page.getByRole('region', { name: 'This error is not about the kernel' });
  await expect(result).toContainText('HCS_E_HYPERV_NOT_INSTALLED');
  await expect(result.locator('.next-step')).toContainText('bcdedit /set hypervisorlaunchtype auto');
  await expect(page.locator('[data-finding]')).toHaveCount(0);
  await app.shot('paste-03-not-about-the-kernel');
  const status = await app.status();
  expect(status.flavour).toBe('store');
});

test('a timeout with a vmlinux named in .wslconfig: the finding and its manual fix', async ({ openApp }) => {
  const app = await openApp({ preset: 'store-vmlinux', entry: 'repair' });
  const { page } = app;
  await page.getByRole('textbox', { name: 'Paste the error message WSL showed' }).fill(VM_TIMEOUT);
  await page.getByRole('button', { name: 'Look up this error' }).click();
  const finding = page.locator('[data-finding="custom-kernel-invalid"]');
  await expect(finding.getByText('Matches your error')).toBeVisible();
  await expect(finding.locator('[data-fix="wslconfig-use-default"]')).toContainText('Let WSL boot its own kernel again');
  await expect(page.getByRole('region', { name: 'What your error means' })).toContainText('vmlinux');
  await app.shot('paste-04-vmlinux-timeout');
});
