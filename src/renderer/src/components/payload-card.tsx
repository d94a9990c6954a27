/** What a kernel payload holds, read by main from its header and hash. */
import type { PayloadInfo } from '../../../shared/types';
import { formatBytes, shortHash } from '../format';

export function PayloadCard({ payload, source }: { payload: PayloadInfo; source: string }) {
  return (
    <div className="payload-card" data-testid="payload">
      <p className="payload-version">
        Kernel <strong>{payload.version}</strong>
        {payload.demo && <span className="badge badge-demo">Demo kernel</span>}
      </p>
      <dl className="facts">
        <dt>Release</dt>
        <dd>{payload.release}</dd>
        <dt>Architecture</dt>
        <dd>{payload.arch}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(payload.size)}</dd>
        <dt>SHA-256</dt>
        <dd>
          <code title={payload.sha256}>{shortHash(payload.sha256)}…</code>
        </dd>
        <dt>Source</dt>
        <dd>{source}</dd>
        {payload.source && (
          <>
            <dt>Package</dt>
            <dd data-testid="payload-package">{packageLabel(payload)}</dd>
          </>
        )}
        {payload.modules && (
          <>
            <dt>Modules disk</dt>
            <dd data-testid="payload-modules">
              {payload.modules.format.toUpperCase()}, {formatBytes(payload.modules.size)} (verified; not installed with the kernel)
            </dd>
          </>
        )}
      </dl>
      {payload.demo && <p className="muted">A labelled placeholder generated for the sandbox: it has a real kernel header but does not boot.</p>}
    </div>
  );
}

/** "The kernel of WSL 2.4.13.0 (MSI inside a cabinet)" and the like: the package was read, never run. */
function packageLabel(payload: PayloadInfo): string {
  const src = payload.source!;
  const inCab = src.kind === 'cab' ? ` (in the cabinet, as ${src.entry ?? 'an entry'})` : '';
  if (src.package === 'wsl-msi') return `The kernel of WSL ${src.wslVersion ?? '(version not recorded)'}, read from its installer package${inCab}`;
  if (src.package === 'kernel-msi') return `Read from the WSL kernel update package${inCab}`;
  return `Read from the cabinet${inCab}`;
}
