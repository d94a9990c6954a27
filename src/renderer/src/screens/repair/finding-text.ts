/** Plain headings and first sentences for the engine's finding ids; the engine's observations stay under Details. */

export const FINDING_TEXT: Record<string, { title: string; plain: string }> = {
  'custom-kernel-invalid': { title: 'The kernel named in .wslconfig cannot boot', plain: 'Your .wslconfig names a file that is not a kernel WSL can start (for example a vmlinux instead of a bzImage), so WSL times out.' },
  'custom-kernel-missing': { title: 'The kernel named in .wslconfig is missing', plain: 'Your .wslconfig names a kernel file that is not there, so WSL does not start.' },
  'kernel-did-not-boot': { title: 'The kernel did not boot', plain: 'The error you pasted shows that WSL started this kernel but it never answered.' },
  'kernel-setting-blocked': { title: 'A policy keeps your kernel setting from working', plain: "Your organisation's policy makes WSL ignore the kernel named in .wslconfig; WSL boots its own kernel." },
  'wsl-install-damaged': { title: "WSL's own kernel files are missing", plain: 'Files WSL installed with itself are gone, so WSL cannot start its virtual machine. Repairing WSL puts them back.' },
  'wslconfig-bad-escape': { title: 'WSL ignores the kernel line of .wslconfig', plain: 'A single backslash in the path makes WSL drop the whole kernel= line.' },
  'journal-unreadable': { title: 'An unfinished change could not be read', plain: 'The record of an earlier change is damaged. Nothing had been changed yet; it can be cleared.' },
  'kernel-invalid': { title: 'The kernel file is damaged', plain: 'The file WSL starts Linux with is not a working kernel, so WSL cannot start.' },
  'kernel-missing': { title: 'The kernel is missing', plain: 'The file WSL starts Linux with is not there, so WSL shows “WSL 2 requires an update to its kernel component”.' },
  'kernel-modified': { title: 'The kernel was changed by another program', plain: 'Another installer or a manual copy replaced the kernel after this app installed it.' },
  'low-disk-space': { title: 'Not enough free disk space', plain: 'Installing a kernel needs some free space on the system drive.' },
  'not-elevated': { title: 'Administrator rights are needed', plain: 'Repairs change a protected Windows folder, so the app must run as administrator.' },
  'operation-interrupted': { title: 'A change was interrupted', plain: 'An earlier install or rollback stopped halfway (a crash or power loss). It can be finished or undone safely.' },
  'operation-running': { title: 'Another change is running', plain: 'Another window or command is changing the kernel right now. Wait for it to finish.' },
  'restart-pending': { title: 'Windows must restart', plain: 'Windows has changes waiting for a restart; WSL works after it.' },
  'rollback-flag-orphaned': { title: 'WSL is set to use a kernel that is gone', plain: 'After a rollback, WSL uses the previous kernel, but that file is missing or damaged, so WSL cannot start.' },
  'rollback-kernel-invalid': { title: 'The previous kernel is damaged', plain: 'The fallback kernel kept for rollbacks is not usable. WSL still starts; only rolling back is not possible.' },
  'rollback-kernel-modified': { title: 'The previous kernel was changed by another program', plain: 'The fallback kernel is not the file this app kept.' },
  'state-damaged': { title: "The app's own records are damaged", plain: 'The list of kernels you rolled back from could not be read.' },
  'temp-files-left': { title: 'Leftover temporary files', plain: 'A crashed change left temporary files behind. They are safe to delete.' },
  'unsupported-architecture': { title: 'This processor is not supported', plain: 'WSL 2 runs on x64 and ARM64 processors only.' },
  'vm-platform-missing': { title: 'Virtual Machine Platform is turned off', plain: 'WSL 2 runs Linux in a small virtual machine, which needs this Windows feature.' },
  'windows-build-unsupported': { title: 'This Windows version is too old for WSL 2', plain: 'WSL 2 needs Windows 10 version 2004 or later (or 1903/1909 with the latest updates).' },
  'wsl-not-enabled': { title: 'Windows Subsystem for Linux is turned off', plain: 'The Windows feature WSL needs is not turned on.' },
};

/** A finding's heading: its known title, else its id in words (`kernel-missing` → "Kernel missing"). */
export function findingTitle(id: string): string {
  const known = FINDING_TEXT[id];
  if (known) return known.title;
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
