/**
 * Findings about the user's `.wslconfig` as WSL reads it (DESIGN §8.2, §8.3): a `kernel=` line
 * WSL drops (an invalid escape such as `\W`), a path mangled by `\t` `\b` `\n`, a kernel or
 * modules VHD that is not there (WSL_E_CUSTOM_KERNEL_NOT_FOUND), `kernelModules` without
 * `kernel`, and the policy or safe mode setting `kernel=` aside. Each with the exact line to write.
 */
import type { BootKernel, Finding, Fix, WslConfigFacts } from '../../../shared/types';
import { encodeWslConfigValue } from '../wslconfig';
import type { Snapshot } from './inspect';

/** What the user meant by a raw value written with single backslashes: the text itself, unquoted. */
export function intended(raw: string): string {
  const unquoted = /^"[^"]*"$/.test(raw) ? raw.slice(1, -1) : raw;
  return unquoted;
}

function fixedLine(key: string, raw: string): string | null {
  try {
    return `${key}=${encodeWslConfigValue(intended(raw))}`;
  } catch {
    return null;
  }
}

const BS = String.fromCharCode(8);
const visible = (s: string): string => s.replace(/\t/g, '<TAB>').split(BS).join('<BACKSPACE>').replace(/\n/g, '<NEWLINE>');

function manual(id: string, title: string, steps: string[]): Fix {
  return { id, title, manual: true, steps };
}

/** The tool writes the line itself (`repair --fix wslconfig-fix-line`); the steps say how to do it by hand. */
function editLine(cfg: WslConfigFacts, line: string): Fix {
  return {
    id: 'wslconfig-fix-line',
    title: `Write the line as ${line}`,
    steps: [`Open ${cfg.path} in Notepad.`, `In the [wsl2] section, replace the kernel= line with: ${line}`, 'Save the file, then run: wsl --shutdown (WSL reads the file when it starts).'],
  };
}

const useDefault = (cfg: WslConfigFacts): Fix =>
  manual('wslconfig-use-default', "Let WSL boot its own kernel again", [
    `Open ${cfg.path} in Notepad and delete the kernel= and kernelModules= lines of [wsl2] (or run: wslk use-default).`,
    'Save the file, then run: wsl --shutdown.',
  ]);

export function wslconfigFindings(s: Snapshot): Finding[] {
  const boot: BootKernel | null = s.wsl.boot;
  const cfg = boot?.wslconfig;
  if (!boot || !cfg) return [];
  const out: Finding[] = [];
  if (cfg.unreadable) {
    out.push({ id: 'wslconfig-unreadable', severity: 'warning', observed: cfg.unreadable, cause: 'The tool reads only regular text files up to 1 MiB.', fixes: [] });
    return out;
  }
  const raw = cfg.kernelRaw ?? '';
  if (cfg.kernelLineDropped) {
    const line = fixedLine('kernel', raw);
    out.push({
      id: 'wslconfig-bad-escape',
      severity: 'warning',
      observed: `${cfg.path} says kernel=${raw}, but WSL prints "${cfg.kernelLineDropped}" and ignores the whole line, so it boots ${boot.path ?? 'its own kernel'} instead.`,
      cause:
        'In .wslconfig a backslash starts an escape (\\\\ \\" \\n \\t \\b); any other letter after a backslash makes WSL drop the line. A Windows path needs every backslash doubled.',
      fixes: line ? [editLine(cfg, line), useDefault(cfg)] : [useDefault(cfg)],
    });
  }
  const read = cfg.kernel ?? '';
  if (read && (/[\t\n]/.test(read) || read.includes(BS))) {
    const line = fixedLine('kernel', raw);
    out.push({
      id: 'wslconfig-kernel-mangled',
      severity: boot.error ? 'error' : 'warning',
      observed: `${cfg.path} says kernel=${raw}; WSL reads the path as ${visible(read)}${boot.error ? ', which does not exist: WSL will not start' : ''}.`,
      cause: 'Single backslashes: \\t became a TAB, \\b a backspace and \\n a line break. A Windows path needs every backslash doubled.',
      fixes: line ? [editLine(cfg, line), useDefault(cfg)] : [useDefault(cfg)],
    });
  } else if (boot.error && boot.source === 'wslconfig' && !boot.kernel.present && boot.path) {
    out.push({
      id: 'custom-kernel-missing',
      severity: 'error',
      observed: `WSL will fail to start: ${boot.error.message} (Wsl/Service/CreateInstance/CreateVm/${boot.error.code})`,
      cause: read.includes('\ufffd')
        ? 'The path has characters outside ASCII: WSL reads each as one byte and loses them. Use a folder whose path is plain ASCII.'
        : 'The kernel file was moved or deleted (cleanup, a reinstall of the tool that put it there), or the path has a typo.',
      fixes: [manual('wslconfig-restore-file', `Put the kernel file back at ${boot.path}`, [`Copy the kernel to ${boot.path}.`, 'Run: wsl --shutdown.']), useDefault(cfg)],
    });
  } else if (boot.error && /modules VHD/.test(boot.error.message)) {
    out.push({
      id: 'custom-modules-missing',
      severity: 'error',
      observed: `WSL will fail to start: ${boot.error.message}`,
      cause: 'The kernelModules= file was moved or deleted.',
      fixes: [manual('wslconfig-drop-modules', 'Remove the kernelModules= line', [`Open ${cfg.path}, delete the kernelModules= line of [wsl2], save.`, 'Run: wsl --shutdown.']), useDefault(cfg)],
    });
  } else if (boot.error) {
    out.push({
      id: 'modules-without-kernel',
      severity: 'error',
      observed: `WSL will fail to start: ${boot.error.message}`,
      cause: `${cfg.path} sets kernelModules= but no kernel=: WSL only attaches custom modules to a custom kernel.`,
      fixes: [manual('wslconfig-drop-modules', 'Remove the kernelModules= line', [`Open ${cfg.path}, delete the kernelModules= line of [wsl2], save.`, 'Run: wsl --shutdown.'])],
    });
  }
  if (cfg.ignoredBy === 'policy') {
    out.push({
      id: 'kernel-setting-blocked',
      severity: 'warning',
      observed: `${cfg.path} names kernel=${cfg.kernel ?? ''}, but the computer policy HKLM\\SOFTWARE\\Policies\\WSL AllowKernelUserSetting = 0 makes WSL ignore it: WSL boots ${boot.path ?? 'its own kernel'}.`,
      cause: 'An administrator (Group Policy, Intune) does not allow users to choose the WSL kernel.',
      fixes: [
        manual('policy-ask-admin', 'Ask your administrator to allow a custom kernel', ['The policy "Allow kernel configuration" for WSL must be enabled (AllowKernelUserSetting = 1) or not configured.']),
        useDefault(cfg),
      ],
    });
  } else if (cfg.ignoredBy === 'safe-mode') {
    out.push({
      id: 'safe-mode-ignores-kernel',
      severity: 'warning',
      observed: `${cfg.path} sets safeMode=true: WSL ignores kernel= and kernelModules= and boots ${boot.path ?? 'its own kernel'}.`,
      cause: 'Safe mode turns off custom kernels, among many other features, to recover a WSL that does not start.',
      fixes: [manual('safe-mode-off', 'Turn safe mode off', [`Open ${cfg.path}, delete the line safeMode=true (or write safeMode=false), save.`, 'Run: wsl --shutdown.'])],
    });
  }
  return out;
}
