/**
 * Findings about the kernel WSL itself brings and the kernel `.wslconfig` names (docs/design.md
 * §11, §13): store WSL's own `tools\kernel` or `modules.vhd` missing or damaged (WSL then fails with
 * `Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND`; WSL's MSI repair restores them),
 * and a `.wslconfig` kernel that exists but is not a kernel for this computer (a `vmlinux` instead
 * of a `bzImage`: the VM never answers, `HCS_E_CONNECTION_TIMEOUT`).
 */
import type { Finding, Fix } from '../../../shared/types';
import type { Snapshot } from './inspect';

function manual(id: string, title: string, steps: string[]): Fix {
  return { id, title, manual: true, steps };
}

/** Repairing WSL's own installation (its MSI), which puts `tools\kernel` and `modules.vhd` back. */
export function repairWslFix(version: string | null): Fix {
  const v = version ?? '<version>';
  return manual('repair-wsl-msi', "Repair WSL's installation (its MSI puts its own kernel files back)", [
    `Download the WSL installer of your version, wsl.${v}.x64.msi (wsl.${v}.arm64.msi on ARM), from https://github.com/microsoft/WSL/releases.`,
    'Right-click the file > Show more options > Repair (or run: msiexec /fa <the file> as administrator).',
    'Or run: wsl --update, which installs the newest WSL with all its files.',
    'Then run: wsl --shutdown, and start WSL again.',
  ]);
}

export function useDefaultFix(path: string): Fix {
  return manual('wslconfig-use-default', 'Let WSL boot its own kernel again', [
    `Open ${path} in Notepad and delete the kernel= and kernelModules= lines of [wsl2] (or run: wslk use-default).`,
    'Save the file, then run: wsl --shutdown.',
  ]);
}

/** Store WSL's own kernel or modules VHD missing or damaged. */
export function wslInstallFindings(s: Snapshot): Finding[] {
  const d = s.wsl.defaultKernel;
  if (s.wsl.flavour !== 'store' || !d) return [];
  const kernelBad = !d.kernel.present || !d.kernel.valid;
  if (!kernelBad && d.modulesPresent) return [];
  const boot = s.wsl.boot;
  // WSL boots its own kernel unless .wslconfig names another one it can find.
  const usesDefault = !boot || boot.source === 'default';
  const what = [
    kernelBad ? `${d.path} ${d.kernel.present ? 'is not a kernel for this computer' : 'does not exist'}` : null,
    d.modulesPresent ? null : `${d.modulesPath ?? 'modules.vhd'} does not exist`,
  ]
    .filter(Boolean)
    .join('; ');
  return [
    {
      id: 'wsl-install-damaged',
      severity: usesDefault ? 'error' : 'warning',
      observed: `Store WSL ${s.wsl.wslVersion ?? ''} in ${s.wsl.wslInstallLocation ?? '?'}: ${what}.`.replace('WSL  in', 'WSL in'),
      cause: usesDefault
        ? 'WSL cannot start its virtual machine without its own kernel files ("The system cannot find the file specified", Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND). They were deleted (cleanup software) or an update of WSL did not finish.'
        : "WSL boots the kernel .wslconfig names for now, but WSL's own kernel files are damaged: WSL fails to start once that setting is removed.",
      fixes: [repairWslFix(s.wsl.wslVersion)],
    },
  ];
}

/** The `.wslconfig` kernel exists but is not a kernel for this computer (wrong format or architecture). */
export function customKernelInvalidFindings(s: Snapshot): Finding[] {
  const boot = s.wsl.boot;
  if (!boot || boot.source !== 'wslconfig' || boot.error || !boot.path || !boot.kernel.present || boot.kernel.valid) return [];
  const k = boot.kernel;
  const why =
    k.problem === 'wrong-architecture'
      ? `it is a kernel for ${k.arch ?? 'another architecture'} (${k.release ?? '?'}), but this computer is ${s.arch ?? 'of another architecture'}`
      : 'it is not an x64 bzImage or an ARM64 Image (a vmlinux ELF file, a compressed archive or a folder cannot be booted)';
  const fixes: Fix[] = [];
  if (boot.wslconfig) fixes.push(useDefaultFix(boot.wslconfig.path));
  return [
    {
      id: 'custom-kernel-invalid',
      severity: 'error',
      observed: `${boot.wslconfig?.path ?? '.wslconfig'} names ${boot.path} as the kernel; ${why}.`,
      cause:
        'WSL starts its virtual machine with this file, the kernel never comes up, and WSL gives up with "The operation timed out because a response was not received from the virtual machine or container" (HCS_E_CONNECTION_TIMEOUT).',
      fixes,
    },
  ];
}
