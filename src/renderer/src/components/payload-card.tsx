/** What a kernel payload holds, read by main from its header and hash: the version first, the rest under Details. */
import type { PayloadInfo } from '../../../shared/types';
import { formatBytes } from '../format';
import { Details } from './details';

export function PayloadCard({ payload, source }: { payload: PayloadInfo; source: string }) {
  const details = [`Release: ${payload.release}`, `Architecture: ${payload.arch}`, `Size: ${formatBytes(payload.size)}`, `SHA-256: ${payload.sha256}`, `File: ${payload.path}`].join('\n');
  return (
    <div className="payload-card" data-testid="payload">
      <p className="payload-version">
        Kernel <strong>{payload.version}</strong>
        {payload.demo && <span className="badge badge-demo">Demo kernel</span>}
      </p>
      <p className="muted">{source}</p>
      {payload.demo && <p className="muted">A labelled placeholder made for the sandbox: it looks like a kernel to the installer but does not boot.</p>}
      <Details text={details} />
    </div>
  );
}
