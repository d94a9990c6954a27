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
      </dl>
      {payload.demo && <p className="muted">A labelled placeholder generated for the sandbox: it has a real kernel header but does not boot.</p>}
    </div>
  );
}
