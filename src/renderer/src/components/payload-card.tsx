/** What a kernel payload holds, read by main from its header and hash: the version first, the rest under Details. */
import type { PayloadInfo } from '../../../shared/types';
import { formatBytes } from '../format';
import { Details } from './details';

/** `storeWsl`: store WSL installs the modules disk with its kernel; inbox WSL attaches none (docs/design.md §11.5). */
export function PayloadCard({ payload, source, storeWsl = false }: { payload: PayloadInfo; source: string; storeWsl?: boolean }) {
  const details = [
    `Release: ${payload.release}`,
    `Architecture: ${payload.arch}`,
    `Size: ${formatBytes(payload.size)}`,
    `SHA-256: ${payload.sha256}`,
    `File: ${payload.path}`,
    ...(payload.source ? [`Package: ${payload.source.path}`] : []),
    ...(payload.modules ? [`Modules disk: ${payload.modules.path} (SHA-256 ${payload.modules.sha256})`] : []),
  ].join('\n');
  return (
    <div className="payload-card" data-testid="payload">
      <p className="payload-version">
        Kernel <strong>{payload.version}</strong>
        {payload.demo && <span className="badge badge-demo">Demo kernel</span>}
      </p>
      <p className="muted">{source}</p>
      {payload.source && (
        <p className="muted" data-testid="payload-package">
          {packageLabel(payload)}
        </p>
      )}
      {payload.modules && (
        <p className="muted">
          Modules disk: <span data-testid="payload-modules">{modulesLabel(payload.modules, storeWsl)}</span>
        </p>
      )}
      {payload.demo && <p className="muted">A labelled placeholder made for the sandbox: it looks like a kernel to the installer but does not boot.</p>}
      <Details text={details} />
    </div>
  );
}

/** "VHD, 1.0 MiB (verified; installed with the kernel)". */
function modulesLabel(modules: NonNullable<PayloadInfo['modules']>, storeWsl: boolean): string {
  return `${modules.format.toUpperCase()}, ${formatBytes(modules.size)} (verified; ${storeWsl ? 'installed with the kernel, and moves with it' : 'not used: this WSL attaches no modules disk'})`;
}

/** "The kernel of WSL 2.4.13.0 (MSI inside a cabinet)" and the like: the package was read, never run. */
function packageLabel(payload: PayloadInfo): string {
  const src = payload.source!;
  const inCab = src.kind === 'cab' ? ` (in the cabinet, as ${src.entry ?? 'an entry'})` : '';
  if (src.package === 'wsl-msi') return `The kernel of WSL ${src.wslVersion ?? '(version not recorded)'}, read from its installer package${inCab}`;
  if (src.package === 'kernel-msi') return `Read from the WSL kernel update package${inCab}`;
  return `Read from the cabinet${inCab}`;
}
